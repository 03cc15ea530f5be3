import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../app';
import { addAdmin, issueSignInLink } from '../admin/provision';
import { runAdminCli } from '../admin/cli';
import { AI_STATUS_PROPERTY_NAME } from '@opencx/shared';
import { CUSTOMER, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

/** An admin of the harness's organization, signed in on `app`. */
async function adminOf(app: ReturnType<typeof createApp>) {
  const admin = await addAdmin(h.deps, { organizationId: h.organization.id, email: 'owner@acme.test' });
  const token = new URL((await issueSignInLink(h.deps, admin.id)).url).searchParams.get('token')!;
  const res = await app.request('/admin/sign-in', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const get = (path: string) => app.request(path, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get('/settings/integrations/hubspot')).text())![1]!;
  const post = (path: string, form: Record<string, string>) =>
    app.request(path, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, ...form }), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
  return { get, post };
}

/** A ticket whose AI status write-back HubSpot refuses for good (403): a dead-lettered effect. */
async function deadTicketWrite() {
  const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
  await h.sync();
  h.sandbox.control.addFault({ pathPrefix: '/crm/v3/objects/tickets', method: 'PATCH', status: 403 });
  const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order <b>42</b>', contactId: CUSTOMER, threadId: thread.id });
  await h.sync();
  h.sandbox.control.clearFaults();
  return { thread, ticket };
}

it('lists a dead-lettered effect with its error and conversation, and a retry from the page performs it once', async () => {
  const { thread, ticket } = await deadTicketWrite();
  const portal = () => h.sandbox.state.portals[PORTAL]!;
  expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBeUndefined();

  const app = createApp(h.deps);
  const admin = await adminOf(app);
  const page = await (await admin.get('/settings/integrations/hubspot/dead-letters')).text();
  const [, kind, id] = /data-kind="(effect)" data-id="(\d+)"/.exec(page)!;
  expect(page).toContain('setTicketAiStatus');
  expect(page).toContain(`conversation ${thread.id}`);
  expect(page).toMatch(/403/);

  const retried = await admin.post('/settings/integrations/hubspot/dead-letters/retry', { which: `${kind}:${id}` });
  expect(retried.status).toBe(303);
  expect(retried.headers.get('location')).toBe('/settings/integrations/hubspot/dead-letters?done=retried-1');
  await h.drainEffects();
  expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('active');
  expect(await h.deps.store.operations.listDeadLetters(PORTAL, 10)).toEqual([]);
  // Once: it is no longer a dead letter, so a second retry (a double click) does nothing.
  expect((await admin.post('/settings/integrations/hubspot/dead-letters/retry', { which: `${kind}:${id}` })).headers.get('location')).toContain('retried-0');
  expect(await (await admin.get('/settings/integrations/hubspot/dead-letters')).text()).toContain('Nothing failed.');
});

it('refuses a retry without the CSRF token, and another organization cannot touch these dead letters', async () => {
  await deadTicketWrite();
  const app = createApp(h.deps);
  const admin = await adminOf(app);
  expect((await admin.post('/settings/integrations/hubspot/dead-letters/discard', { which: 'all', _csrf: 'forged' })).status).toBe(403);
  expect(await h.deps.store.operations.listDeadLetters(PORTAL, 10)).toHaveLength(1);
  const lines: string[] = [];
  await h.deps.store.organizations.create({ ...h.organization, id: 'org_other', name: 'Other' });
  expect(await runAdminCli(['dead-letters', '--org', 'org_other', '--discard', 'all'], h.deps, (l) => lines.push(l))).toBe(0);
  expect(lines).toEqual(['Discarded 0 dead letters.', 'No dead letters.']);
  expect(await h.deps.store.operations.listDeadLetters(PORTAL, 10)).toHaveLength(1);
});

it('lets an operator list, retry and discard dead letters from the admin CLI', async () => {
  await deadTicketWrite();
  const lines: string[] = [];
  const run = (...argv: string[]) => runAdminCli(argv, h.deps, (l) => lines.push(l));
  expect(await run('dead-letters', '--org', h.organization.id)).toBe(0);
  expect(lines[0]).toMatch(/^effect:\d+\t.*\tsetTicketAiStatus\t.*\t1 attempts\t.*403/);
  lines.length = 0;
  expect(await run('dead-letters', '--org', h.organization.id, '--discard', 'all')).toBe(0);
  expect(lines).toEqual(['Discarded 1 dead letter.', 'No dead letters.']);
});
