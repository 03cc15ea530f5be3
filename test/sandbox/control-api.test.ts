import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox } from './index';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const post = (op: string, body: unknown) =>
  sandbox.app.request(`/_sandbox/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const postForm = (op: string, fields: Record<string, string>) =>
  sandbox.app.request(`/_sandbox/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('control API over HTTP', () => {
  it('mirrors the in-process control and reports errors as JSON', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    const portal: Json = await (await post('create-portal', { portalId: 31337, name: 'Acme', users: [{ email: 'a@acme.test', firstName: 'Ann', lastName: 'Acme' }] })).json() as Json;
    expect(portal).toMatchObject({ portalId: 31337, name: 'Acme' });
    const user = Object.values(portal.users)[0] as { userId: number; ownerId: string };
    expect(String(user.userId)).not.toBe(user.ownerId);
    const contact: Json = await (await post('create-contact', { portalId: 31337, email: 'c@x.test', firstname: 'Cy' })).json() as Json;
    const ticket: Json = await (await post('create-ticket', { portalId: 31337, subject: 'S', contactId: contact.id })).json() as Json;
    expect((await post('set-ticket-owner', { portalId: 31337, ticketId: ticket.id, ownerId: user.ownerId })).status).toBe(200);
    expect(sandbox.state.portals['31337']!.tickets[ticket.id]!.properties['hubspot_owner_id']).toBe(user.ownerId);

    const missing = await post('create-ticket', { portalId: 404404, subject: 'x' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await post('create-ticket', { portalId: 31337 })).status).toBe(400);
    expect((await post('no-such-thing', {})).status).toBe(404);
    expect((await sandbox.app.request('/_sandbox/state')).status).toBe(200);
  });

  it('accepts dashboard forms and redirects back with a flash message', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    sandbox.control.installApp({ portalId: 62515 });
    const created = await postForm('create-thread', { portalId: '62515', contactId: '101', channel: 'EMAIL', text: 'Hi', subject: 'Hello', ticketId: '' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/?ok=create-thread');
    const threadId = Object.keys(sandbox.state.portals['62515']!.threads)[0]!;
    expect((await postForm('assign-thread', { portalId: '62515', threadId, userId: '9586505' })).status).toBe(303);
    expect(sandbox.state.portals['62515']!.threads[threadId]!.assignedTo).toBe('A-9586505');
    await postForm('assign-thread', { portalId: '62515', threadId, userId: '' });
    expect(sandbox.state.portals['62515']!.threads[threadId]!.assignedTo).toBeUndefined();
    const bad = await postForm('post-agent-message', { portalId: '62515', threadId, userId: '1', text: 'x' });
    expect(bad.headers.get('location')).toMatch(/^\/\?error=/);
    await postForm('update-ticket', { portalId: '62515', ticketId: 'nope', 'properties.subject': 'x' });
    await postForm('add-fault', { pathPrefix: '/crm', status: '503', delayMs: '', hang: '', durationMs: '', count: '' });
    expect(sandbox.state.faults).toMatchObject([{ pathPrefix: '/crm', kind: 'status', status: 503 }]);
  });

  it('renders the dashboard with stable ids', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    sandbox.control.installApp({ portalId: 62515 });
    const thread = sandbox.control.createThread({ portalId: 62515, contactId: '101', text: '<script>alert(1)</script>' });
    const ticket = sandbox.control.createTicket({ portalId: 62515, subject: 'Dash', threadId: thread.id });
    const { token } = sandbox.control.createPrivateAppToken({ portalId: 62515 });
    const page = await (await sandbox.app.request('/')).text();
    expect(page).toContain(token); // created from a form, the token must be readable on the page it returns to
    for (const id of ['portal-62515', `ticket-${ticket.id}`, `thread-${thread.id}`, `ticket-${ticket.id}-set-owner`, `thread-${thread.id}-customer`, 'deliveries', 'executions', 'add-fault', 'reset']) {
      expect(page).toContain(`data-testid="${id}"`);
    }
    expect(page).toContain(`data-testid="ticket-${ticket.id}-action-pause-ai"`);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect((await sandbox.app.request('/_sandbox')).status).toBe(200);
  });

  it('reset returns to the seeded state and keeps credentials and the state object', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    const state = sandbox.state;
    sandbox.control.createTicket({ portalId: 62515, subject: 'gone soon' });
    sandbox.control.setWebhookTarget('http://127.0.0.1:1/hook');
    sandbox.control.reset();
    expect(sandbox.state).toBe(state);
    expect(Object.keys(sandbox.state.portals['62515']!.tickets)).toHaveLength(0);
    expect(sandbox.state.webhook.targetOverride).toBe('http://127.0.0.1:1/hook');
  });
});

describe('project files', () => {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const hasRealProject = existsSync(join(repoRoot, 'hubspot-project', 'app', 'webhooks'));

  it.skipIf(!hasRealProject)('reads the real hubspot-project with BACKEND_URL resolved', () => {
    sandbox = createSandbox({ profileVariables: { BACKEND_URL: 'http://127.0.0.1:3999' } });
    expect(sandbox.state.webhook.configuredTargetUrl).toMatch(/^http:\/\/127\.0\.0\.1:3999\//);
    expect(sandbox.state.webhook.subscriptions.length).toBeGreaterThan(0);
    for (const def of sandbox.state.actionDefinitions) expect(def.actionUrl).toMatch(/^http:\/\/127\.0\.0\.1:3999\//);
  });

  it('works without project files and without resolved placeholders', async () => {
    sandbox = createSandbox({ projectDir: '/nonexistent' });
    expect(sandbox.state.webhook.subscriptions.map((s) => s.subscriptionType)).toContain('conversation.newMessage');
    expect(sandbox.state.webhook.configuredTargetUrl).toBeUndefined();
    expect(sandbox.state.actionDefinitions).toEqual([]);
    const unresolved = createSandbox({ projectDir: makeProjectDir() });
    expect(unresolved.state.webhook.configuredTargetUrl).toBeUndefined();
    await unresolved.close();
  });
});
