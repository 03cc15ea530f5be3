import Database from 'better-sqlite3';
import { join } from 'node:path';
import { pauseAiOutputSchema, resumeAiOutputSchema, workflowActionResponseSchema, WORKFLOW_ACTIONS } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import type { Store } from '../store/store';
import { TEST_NOW, type TestDeps } from '../../testing/test-deps';
import {
  actionBody,
  connectOrganization,
  createSignedTestDeps,
  hubspotHeaders,
  PORTAL,
  seedConversation,
  type ActionBodyInput,
} from '../../testing/action-test-kit';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  deps = createSignedTestDeps();
  app = createApp(deps);
  const org = await connectOrganization(deps.store);
  await seedConversation(deps.store, { id: 'ses_t', organizationId: org.id, contactId: 'c1' }, '5001');
  // Ticket 7777 was linked once and unlinked (deleted): known, with no conversation to act on.
  await seedConversation(deps.store, { id: 'ses_gone', organizationId: org.id }, '7777');
  await deps.store.ticketLinks.setStatus(PORTAL, '7777', 'unlinked', TEST_NOW);
});
afterEach(() => deps.cleanup());

const call = (action: string, input: ActionBodyInput = {}, raw?: string) => {
  const body = raw ?? JSON.stringify(actionBody(input));
  const path = `/hubspot/actions/${action}`;
  return app.request(path, { method: 'POST', body, headers: hubspotHeaders('POST', path, body) });
};
const outputsOf = async (res: Response) => ((await res.json()) as { outputFields: Record<string, string> }).outputFields;

describe('Pause OpenCX AI (through the route)', () => {
  it('pauses the ticket conversation and answers the status, in the shape the action declares', async () => {
    const res = await call('pause-ai', { inputFields: { reason: 'VIP', durationMinutes: '' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(workflowActionResponseSchema(pauseAiOutputSchema).parse(body)).toEqual({
      outputFields: { aiStatus: 'paused', outcome: 'paused', hs_execution_state: 'SUCCESS' },
    });
    const state = (await deps.store.aiControl.load('ses_t'))?.control.state;
    expect(state).toMatchObject({ status: 'paused', source: 'workflow', by: { kind: 'workflow', id: '4242' }, reason: 'VIP', until: null });
    expect(await drainEffects(deps.store)).toEqual([{ type: 'setTicketAiStatus', status: 'paused' }]);
  });

  it('pauses until now + duration when a duration is given', async () => {
    await call('pause-ai', { inputFields: { durationMinutes: '30' } });
    expect(await deps.store.aiControl.listDueTimedResumes(TEST_NOW + 30 * 60_000)).toEqual([
      { sessionId: 'ses_t', until: TEST_NOW + 30 * 60_000 },
    ]);
  });

  it('acts once per callbackId: a retry gets the first answer, even after the state changed', async () => {
    const first = await outputsOf(await call('pause-ai', { callbackId: 'cb-1' }));
    await call('resume-ai', { callbackId: 'cb-2' });
    const again = await outputsOf(await call('pause-ai', { callbackId: 'cb-1' }));
    expect(again).toEqual(first);
    expect((await deps.store.aiControl.load('ses_t'))?.control.state.status).toBe('active');
    expect((await deps.store.aiControl.listEvents('ses_t', 10)).map((e) => e.type)).toEqual(['ai_resumed', 'ai_paused']);
  });

  it('acts once when copies of one call arrive at the same moment', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => call('pause-ai', { callbackId: 'cb-same' })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await deps.store.aiControl.listEvents('ses_t', 10)).toHaveLength(1);
  });

  it('pauses every open conversation of an enrolled contact, not closed ones or other contacts', async () => {
    await seedConversation(deps.store, { id: 'ses_c1', organizationId: 'org_1001', contactId: '77' });
    await seedConversation(deps.store, { id: 'ses_c2', organizationId: 'org_1001', contactId: '77', createdAt: TEST_NOW + 1 });
    await seedConversation(deps.store, { id: 'ses_closed', organizationId: 'org_1001', contactId: '77', status: 'closed' });
    await seedConversation(deps.store, { id: 'ses_other', organizationId: 'org_1001', contactId: '78' });
    await call('pause-ai', { callbackId: 'cb-c0', objectType: 'CONTACT', objectId: 77 });
    const statusOf = async (id: string) => (await deps.store.aiControl.load(id))?.control.state.status ?? 'active';
    expect(await Promise.all(['ses_c1', 'ses_c2', 'ses_closed', 'ses_other'].map(statusOf))).toEqual(['paused', 'paused', 'active', 'active']);
    // One of them resumed: pausing the contact again reports the one it changed.
    await call('resume-ai', { callbackId: 'cb-c1', objectType: 'TICKET' });
    const again = await outputsOf(await call('pause-ai', { callbackId: 'cb-c2', objectType: 'CONTACT', objectId: 77 }));
    expect(again).toEqual({ aiStatus: 'paused', outcome: 'already_paused', hs_execution_state: 'SUCCESS' });
  });
});

describe('failures the workflow sees as a failed step (200 FAIL_CONTINUE + errorCode)', () => {
  it.each([
    ['an invalid duration', 'pause-ai', { inputFields: { durationMinutes: 'soon' } }, 'INVALID_INPUT'],
    ['a reason too long', 'resume-ai', { inputFields: { note: 'x'.repeat(501) } }, 'INVALID_INPUT'],
    ['a handoff without a reason', 'request-handoff', { inputFields: {} }, 'INVALID_INPUT'],
    ['an unknown portal', 'pause-ai', { portalId: 999 }, 'NOT_CONNECTED'],
    ['a ticket without an OpenCX conversation', 'pause-ai', { objectId: 7777 }, 'NO_CONVERSATION'],
    ['a contact without open conversations', 'send-to-ai', { objectType: 'CONTACT', objectId: 31 }, 'NO_CONVERSATION'],
  ] as const)('%s → %s', async (_name, action, input, errorCode) => {
    const res = await call(action, input);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ outputFields: { errorCode, hs_execution_state: 'FAIL_CONTINUE' } });
    expect(workflowActionResponseSchema(WORKFLOW_ACTIONS[action].outputSchema).safeParse(body).success).toBe(true);
    expect(await deps.store.aiControl.load('ses_t')).toBeNull();
  });

  it('refuses a legacy Private App portal with NOT_OAUTH, and a portal that must reconnect with NOT_CONNECTED', async () => {
    await connectOrganization(deps.store, { portalId: 2002, authMode: 'private_app' });
    expect(await outputsOf(await call('pause-ai', { portalId: 2002 }))).toMatchObject({ errorCode: 'NOT_OAUTH' });
    await deps.store.connections.setStatus(PORTAL, 'reconnect_required', 'refresh token revoked', TEST_NOW);
    expect(await outputsOf(await call('pause-ai', { callbackId: 'cb-re' }))).toMatchObject({ errorCode: 'NOT_CONNECTED' });
  });

  it("never acts on another organization's conversation, even when a ticket link points at it", async () => {
    const other = await connectOrganization(deps.store, { portalId: 2002 });
    await seedConversation(deps.store, { id: 'ses_b', organizationId: other.id, portalId: 2002 });
    await deps.store.ticketLinks.link({ portalId: PORTAL, ticketId: '6001', sessionId: 'ses_b' }, TEST_NOW);
    expect(await outputsOf(await call('pause-ai', { objectId: 6001 }))).toMatchObject({ errorCode: 'NO_CONVERSATION' });
    expect(await deps.store.aiControl.load('ses_b')).toBeNull();
  });

  it('keeps the first failure for a callbackId too', async () => {
    await call('pause-ai', { callbackId: 'cb-f', objectId: 7777 });
    await deps.store.ticketLinks.link({ portalId: PORTAL, ticketId: '7777', sessionId: 'ses_gone' }, TEST_NOW);
    expect(await outputsOf(await call('pause-ai', { callbackId: 'cb-f', objectId: 7777 }))).toMatchObject({ errorCode: 'NO_CONVERSATION' });
  });
});

describe('requests that are not a valid HubSpot call', () => {
  it.each([
    ['no signature', {}],
    ['a signature over another body', { 'x-hubspot-signature-v3': 'AAAA', 'x-hubspot-request-timestamp': String(TEST_NOW) }],
  ])('answers 401 for %s and acts on nothing', async (_name, headers) => {
    const body = JSON.stringify(actionBody());
    const res = await app.request('/hubspot/actions/pause-ai', { method: 'POST', body, headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(await deps.store.actionExecutions.get('ap-1001-1-1-0')).toBeNull();
  });

  it('accepts a v2-only signature (workflow actions are documented as v2)', async () => {
    const body = JSON.stringify(actionBody());
    const { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': version } = hubspotHeaders('POST', '/hubspot/actions/pause-ai', body);
    const res = await app.request('/hubspot/actions/pause-ai', {
      method: 'POST',
      body,
      headers: { 'x-hubspot-signature': signature!, 'x-hubspot-signature-version': version! },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['not JSON', '{"callbackId":', 'invalid_json', /not valid JSON/],
    ['no callbackId', JSON.stringify({ ...actionBody(), callbackId: undefined }), 'validation_failed', /callbackId/],
    ['no origin', JSON.stringify({ ...actionBody(), origin: undefined }), 'validation_failed', /origin/],
    ['no object', JSON.stringify({ ...actionBody(), object: undefined }), 'validation_failed', /object/],
    ['a deal', JSON.stringify(actionBody({ objectType: 'DEAL' as 'TICKET' })), 'validation_failed', /object\.objectType/],
  ])('answers 400 with a clear message for a body with %s', async (_name, raw, code, message) => {
    const res = await call('pause-ai', {}, raw);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  });

  it('refuses a callbackId already used by another action', async () => {
    await call('pause-ai', { callbackId: 'cb-x' });
    expect((await call('resume-ai', { callbackId: 'cb-x' })).status).toBe(409);
  });
});

describe('transient failures (HubSpot calls again)', () => {
  it('answers 503 when HubSpot cannot be asked about a ticket we have no link for, and records nothing', async () => {
    // This app's HubSpot is a closed port: looking up the ticket's conversation fails like a HubSpot outage.
    const res = await call('pause-ai', { callbackId: 'cb-down', objectId: 8888 });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(await deps.store.actionExecutions.get('cb-down')).toBeNull();
  });

  it('answers 503 while the database is locked, records nothing, and acts on the retry', async () => {
    const busy = realBusyError(deps.dir);
    let locked = true;
    const lockedStore: Store = { ...deps.store, transaction: (work) => (locked ? Promise.reject(busy) : deps.store.transaction(work)) };
    const flaky = createApp({ ...deps, store: lockedStore });
    const body = JSON.stringify(actionBody({ callbackId: 'cb-busy' }));
    const send = () => flaky.request('/hubspot/actions/pause-ai', { method: 'POST', body, headers: hubspotHeaders('POST', '/hubspot/actions/pause-ai', body) });

    const first = await send();
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ error: { code: 'unavailable' } });
    expect(await deps.store.actionExecutions.get('cb-busy')).toBeNull();
    locked = false;
    expect(await outputsOf(await send())).toMatchObject({ outcome: 'paused' });
  });
});

describe('Resume and Request handoff', () => {
  it('resumes a paused conversation', async () => {
    await call('pause-ai', { callbackId: 'cb-p' });
    const body = await (await call('resume-ai', { callbackId: 'cb-r', inputFields: { note: 'done' } })).json();
    expect(workflowActionResponseSchema(resumeAiOutputSchema).parse(body).outputFields).toMatchObject({ aiStatus: 'active', outcome: 'resumed' });
    expect((await deps.store.actionExecutions.get('cb-r'))?.request).toMatchObject({ inputFields: { note: 'done' } });
  });

  it('requests a handoff with the callback as request id, the note and the pipeline stage as effects', async () => {
    const res = await call('request-handoff', { callbackId: 'cb-h', inputFields: { reason: 'Refund over limit', pipelineStage: '4' } });
    expect(await outputsOf(res)).toEqual({ aiStatus: 'handoff_requested', outcome: 'handoff_requested', hs_execution_state: 'SUCCESS' });
    expect(await drainEffects(deps.store)).toEqual([
      { type: 'setTicketAiStatus', status: 'handoff', handoffRequestId: 'cb-h' },
      { type: 'writeHandoffNote', reason: 'Refund over limit', requestedBy: { kind: 'workflow', id: '4242', name: null }, requestId: 'cb-h' },
      { type: 'setTicketPipelineStage', stage: '4' },
    ]);
    const state = (await deps.store.aiControl.load('ses_t'))?.control;
    expect(state).toMatchObject({ state: { status: 'handoff_requested', requestId: 'cb-h' }, handoffRequestIds: ['cb-h'] });
  });
});

describe('Send to OpenCX AI', () => {
  it('answers BLOCK at once and leaves the AI run to the background, not to the outbox', async () => {
    await call('pause-ai', { callbackId: 'cb-p' });
    await drainEffects(deps.store);
    const res = await call('send-to-ai', { callbackId: 'cb-s', inputFields: { instruction: 'Offer a refund' } });
    const body = await res.json();
    expect(body).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P1D' } });
    expect(workflowActionResponseSchema(WORKFLOW_ACTIONS['send-to-ai'].outputSchema).safeParse(body).success).toBe(true);
    expect(await deps.store.actionExecutions.get('cb-s')).toMatchObject({
      status: 'awaiting_ai',
      nextAttemptAt: TEST_NOW,
      work: { kind: 'send_to_ai', sessionIds: ['ses_t'], instruction: 'Offer a refund', outcome: 'resumed' },
    });
    expect((await deps.store.aiControl.listEvents('ses_t', 1)).map((e) => e.type)).toEqual(['sent_to_ai']);
    expect(await drainEffects(deps.store)).toEqual([{ type: 'setTicketAiStatus', status: 'active' }]);
  });
});

/** Every effect waiting in the outbox, in order (one per session is handed out at a time). */
async function drainEffects(store: Store) {
  const effects: unknown[] = [];
  for (;;) {
    const claimed = await store.outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: 1000 });
    if (claimed.length === 0) return effects;
    for (const entry of claimed) {
      effects.push(entry.effect);
      await store.outbox.markDone(entry.id, entry.attempts, TEST_NOW);
    }
  }
}

/** A genuine SQLITE_BUSY from better-sqlite3: two connections, one holding the write lock, no busy wait. */
function realBusyError(dir: string): unknown {
  const path = join(dir, 'busy.sqlite');
  const holder = new Database(path);
  const other = new Database(path, { timeout: 0 });
  try {
    holder.exec('CREATE TABLE IF NOT EXISTS t (x)');
    holder.exec('BEGIN IMMEDIATE');
    other.exec('BEGIN IMMEDIATE');
    throw new Error('expected SQLITE_BUSY');
  } catch (err) {
    return err;
  } finally {
    holder.close();
    other.close();
  }
}
