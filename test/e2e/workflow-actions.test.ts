// Pause, Resume and Request handoff as HubSpot's workflow engine runs them: the sandbox signs and POSTs the
// execution to the real server, reads outputFields, and retries 5xx/429 answers.
import {
  pauseAiOutputSchema,
  requestHandoffOutputSchema,
  resumeAiOutputSchema,
  workflowActionResponseSchema,
} from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signV2, signV3 } from '../sandbox/index';
import {
  connectPortalOverOAuth,
  runAction,
  seedTicketConversation,
  startActionStack,
  type ConnectedPortal,
  type Stack,
} from './workflow-actions-kit';

let stack: Stack;
let portal: ConnectedPortal;
beforeEach(async () => {
  stack = await startActionStack();
  portal = await connectPortalOverOAuth(stack);
});
afterEach(async () => stack.close());

const aiStatusOf = async (sessionId: string) =>
  (await stack.server.deps.store.aiControl.load(sessionId))?.control.state ?? { status: 'active' };
const eventsOf = (sessionId: string) => stack.server.deps.store.aiControl.listEvents(sessionId, 50);

describe('Pause OpenCX AI', () => {
  it('pauses the enrolled ticket conversation and completes the step with the status', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const execution = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, inputFields: { reason: 'VIP customer' } });
    expect(execution).toMatchObject({ status: 'completed', executionState: 'SUCCESS' });
    expect(workflowActionResponseSchema(pauseAiOutputSchema).parse({ outputFields: execution.outputFields })).toEqual({
      outputFields: { aiStatus: 'paused', outcome: 'paused', hs_execution_state: 'SUCCESS' },
    });
    expect(await aiStatusOf(session.id)).toMatchObject({ status: 'paused', source: 'workflow', reason: 'VIP customer', until: null });
    // A second pause by another workflow step reports it.
    const again = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId });
    expect(again.outputFields).toMatchObject({ aiStatus: 'paused', outcome: 'already_paused' });
  });

  it('pauses every open conversation of an enrolled contact', async () => {
    const contact = Object.values(stack.sandbox.state.portals[String(portal.portalId)]!.contacts)[0]!;
    const first = await seedTicketConversation(stack, portal, { contactId: contact.id });
    const second = await seedTicketConversation(stack, portal, { contactId: contact.id });
    const closed = await seedTicketConversation(stack, portal, { contactId: contact.id, status: 'closed' });
    const execution = await runAction(stack, portal.portalId, 'pause-ai', { objectType: 'CONTACT', objectId: contact.id });
    expect(execution.outputFields).toMatchObject({ aiStatus: 'paused', outcome: 'paused' });
    expect((await aiStatusOf(first.session.id)).status).toBe('paused');
    expect((await aiStatusOf(second.session.id)).status).toBe('paused');
    expect((await aiStatusOf(closed.session.id)).status).toBe('active');
  });

  it('acts once for a callbackId HubSpot sends again, and answers it the same', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const first = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, callbackId: 'ap-retry-1' });
    await runAction(stack, portal.portalId, 'resume-ai', { objectId: ticketId });
    const again = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, callbackId: 'ap-retry-1' });
    expect(again.outputFields).toEqual(first.outputFields);
    expect((await aiStatusOf(session.id)).status).toBe('active');
    expect((await eventsOf(session.id)).map((e) => e.type)).toEqual(['ai_resumed', 'ai_paused']);
  });

  it('acts once when copies of one call arrive at the same moment', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, callbackId: 'ap-dup-1' })),
    );
    expect(copies.map((c) => c.status)).toEqual(Array(5).fill('completed'));
    expect(new Set(copies.map((c) => JSON.stringify(c.outputFields))).size).toBe(1);
    expect((await eventsOf(session.id)).map((e) => e.type)).toEqual(['ai_paused']);
  });
});

describe('Resume OpenCX AI', () => {
  it('resumes a paused conversation', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId });
    const execution = await runAction(stack, portal.portalId, 'resume-ai', { objectId: ticketId, inputFields: { note: 'Back to AI' } });
    expect(workflowActionResponseSchema(resumeAiOutputSchema).parse({ outputFields: execution.outputFields }).outputFields).toMatchObject({
      aiStatus: 'active',
      outcome: 'resumed',
    });
    expect((await aiStatusOf(session.id)).status).toBe('active');
  });
});

describe('Request OpenCX handoff', () => {
  it('hands off with the owner and stage given, checking the owner with HubSpot first', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const owner = Object.values(stack.sandbox.state.portals[String(portal.portalId)]!.owners)[1]!;
    const execution = await runAction(stack, portal.portalId, 'request-handoff', {
      objectId: ticketId,
      callbackId: 'ap-handoff-1',
      inputFields: { reason: 'Refund over limit', ownerId: owner.id, pipelineStage: '3' },
    });
    expect(workflowActionResponseSchema(requestHandoffOutputSchema).parse({ outputFields: execution.outputFields }).outputFields).toEqual({
      aiStatus: 'handoff_requested',
      outcome: 'handoff_requested',
      hs_execution_state: 'SUCCESS',
    });
    expect((await eventsOf(session.id)).at(-1)).toMatchObject({ type: 'handoff_requested', detail: { reason: 'Refund over limit', requestId: 'ap-handoff-1' } });

    // The effects worker carries the handoff into HubSpot: owner, stage, and the note with the transcript.
    const ticket = () => stack.sandbox.state.portals[String(portal.portalId)]!.tickets[ticketId]!;
    await expect.poll(() => ticket().properties['hubspot_owner_id'], { timeout: 10_000 }).toBe(owner.id);
    await expect.poll(() => ticket().properties['hs_pipeline_stage'], { timeout: 10_000 }).toBe('3');
    await expect
      .poll(() => stack.sandbox.control.notesForTicket({ portalId: portal.portalId, ticketId }).map((n) => n.properties['hs_note_body']), { timeout: 10_000 })
      .toEqual([expect.stringContaining('Refund over limit')]);
    await stack.sandbox.idle();
    // An owner now holds the ticket: the AI stays off (handed off, or paused for the owner), never active.
    expect((await aiStatusOf(session.id)).status).not.toBe('active');
  });

  it('fails the step with INVALID_INPUT for an owner HubSpot does not know', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const execution = await runAction(stack, portal.portalId, 'request-handoff', { objectId: ticketId, inputFields: { reason: 'x', ownerId: '99999999' } });
    expect(execution).toMatchObject({ status: 'failed', outputFields: { errorCode: 'INVALID_INPUT', hs_execution_state: 'FAIL_CONTINUE' } });
    expect((await aiStatusOf(session.id)).status).toBe('active');
  });

  it('answers 503 while HubSpot fails, so HubSpot retries, and then acts once', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const owner = Object.values(stack.sandbox.state.portals[String(portal.portalId)]!.owners)[0]!;
    stack.sandbox.control.addFault({ pathPrefix: '/crm/v3/owners', status: 503, count: 1 });
    const execution = await runAction(stack, portal.portalId, 'request-handoff', { objectId: ticketId, inputFields: { reason: 'x', ownerId: owner.id } });
    expect(execution.attempts[0]).toMatchObject({ status: 503 });
    await stack.sandbox.idle();
    expect(execution).toMatchObject({ status: 'completed', outputFields: { outcome: 'handoff_requested' } });
    expect(execution.attempts.map((a) => a.status)).toEqual([503, 200]);
    expect((await eventsOf(session.id)).map((e) => e.type)).toEqual(['handoff_requested']);
  });
});

describe('HubSpot rate-limiting us while we act', () => {
  it('answers 429 with Retry-After in seconds (RFC 9110) and records nothing, so the retry acts', async () => {
    const { ticketId } = await seedTicketConversation(stack, portal);
    const owner = Object.values(stack.sandbox.state.portals[String(portal.portalId)]!.owners)[0]!;
    stack.sandbox.control.addFault({ pathPrefix: '/crm/v3/owners', status: 429, count: 1 });
    const url = `${stack.serverUrl}/hubspot/actions/request-handoff`;
    const body = JSON.stringify({
      callbackId: 'ap-429',
      origin: { portalId: portal.portalId },
      object: { objectId: Number(ticketId), objectType: 'TICKET' },
      inputFields: { reason: 'x', ownerId: owner.id },
    });
    const timestamp = Date.now();
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'X-HubSpot-Signature-v3': signV3(stack.sandbox.appCredentials.clientSecret, 'POST', url, body, timestamp), 'X-HubSpot-Request-Timestamp': String(timestamp) },
    });
    expect(res.status).toBe(429);
    // HubSpot named no reset time: one rolling window (10 s) is the bound, sent as delta-seconds.
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(await stack.server.deps.store.actionExecutions.get('ap-429')).toBeNull();
  });
});

describe('calls the workflow history shows as failed (FAIL_CONTINUE + execution rule)', () => {
  it('NO_CONVERSATION for a record without an OpenCX conversation', async () => {
    const ticket = stack.sandbox.control.createTicket({ portalId: portal.portalId, subject: 'No AI here' });
    const execution = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticket.id });
    expect(execution).toMatchObject({ status: 'failed', outputFields: { errorCode: 'NO_CONVERSATION', hs_execution_state: 'FAIL_CONTINUE' } });
  });

  it('NOT_CONNECTED for a portal that installed the app but is not connected to OpenCX', async () => {
    const other = stack.sandbox.control.createPortal({ portalId: 70001, users: [{ userId: 1, email: 'a@example.com', firstName: 'A', lastName: 'Admin' }] });
    stack.sandbox.control.installApp({ portalId: other.portalId });
    const ticket = stack.sandbox.control.createTicket({ portalId: other.portalId, subject: 'x' });
    const execution = await runAction(stack, other.portalId, 'pause-ai', { objectId: ticket.id });
    expect(execution.outputFields).toEqual({ errorCode: 'NOT_CONNECTED', hs_execution_state: 'FAIL_CONTINUE' });
  });

  it('NOT_OAUTH for a portal connected through a legacy Private App token', async () => {
    const legacy = stack.sandbox.control.createPortal({ portalId: 70002, users: [{ userId: 1, email: 'a@example.com', firstName: 'A', lastName: 'Admin' }] });
    stack.sandbox.control.installApp({ portalId: legacy.portalId });
    const { token } = stack.sandbox.control.createPrivateAppToken({ portalId: legacy.portalId });
    const { store, clock } = stack.server.deps;
    await store.organizations.create({ id: 'org_legacy', name: 'Legacy', oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: clock.now() });
    await store.connections.savePrivateAppConnection(
      { organizationId: 'org_legacy', portalId: legacy.portalId, connectedBy: { hubspotUserId: null, email: 'a@example.com' }, scopes: [], hubDomain: null, token },
      clock.now(),
    );
    const ticket = stack.sandbox.control.createTicket({ portalId: legacy.portalId, subject: 'x' });
    const execution = await runAction(stack, legacy.portalId, 'pause-ai', { objectId: ticket.id });
    expect(execution.outputFields).toEqual({ errorCode: 'NOT_OAUTH', hs_execution_state: 'FAIL_CONTINUE' });
  });

  it('INVALID_INPUT for values that do not fit the action', async () => {
    const { ticketId } = await seedTicketConversation(stack, portal);
    const execution = await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, inputFields: { durationMinutes: '1.5' } });
    expect(execution.outputFields).toEqual({ errorCode: 'INVALID_INPUT', hs_execution_state: 'FAIL_CONTINUE' });
  });
});

describe('requests that did not come from HubSpot, or are not an action call', () => {
  const url = () => `${stack.serverUrl}/hubspot/actions/pause-ai`;
  const secret = () => stack.sandbox.appCredentials.clientSecret;

  it.each([
    ['no signature', () => ({})],
    ['a signature with another secret', () => ({ 'X-HubSpot-Signature': signV2('not-the-secret', 'POST', url(), '{}'), 'X-HubSpot-Signature-Version': 'v2' })],
    ['a stale v3 signature', () => ({ 'X-HubSpot-Signature-v3': signV3(secret(), 'POST', url(), '{}', Date.now() - 600_000), 'X-HubSpot-Request-Timestamp': String(Date.now() - 600_000) })],
  ])('answers 401 for %s', async (_name, headers) => {
    const res = await fetch(url(), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers() } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: expect.stringMatching(/invalid_signature|stale_timestamp/) } });
  });

  it.each([
    ['not JSON', 'callbackId=1', /not valid JSON/],
    ['no callbackId', JSON.stringify({ origin: { portalId: 62515 }, object: { objectId: 1, objectType: 'TICKET' } }), /callbackId/],
    ['no object', JSON.stringify({ callbackId: 'x', origin: { portalId: 62515 } }), /object/],
  ])('answers 400 with a clear message for a signed body with %s', async (_name, body, message) => {
    const timestamp = Date.now();
    const res = await fetch(url(), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'X-HubSpot-Signature-v3': signV3(secret(), 'POST', url(), body, timestamp), 'X-HubSpot-Request-Timestamp': String(timestamp) },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });
});
