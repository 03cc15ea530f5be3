// The API gateway against the local HubSpot sandbox: CRM, Conversations, callbacks, account info.
// Rate limits, retries and error translation are covered in api-gateway-resilience.test.ts.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useListeningSandbox } from '../../../test/support/listening-sandbox';
import { HubSpotApiError } from './api-error';
import { createHubSpotApiGateway } from './api-gateway';

const PORTAL = 62515;
const OTHER_PORTAL = 70001;
const AGENT_USER = 9586504;
const AGENT_OWNER = '52550153';
const CONTACT = '101';

const hs = useListeningSandbox();
const tokens = new Map<number, string>();
const gateway = () =>
  createHubSpotApiGateway({
    basePath: hs.url,
    tokens: { accessTokenFor: async (portalId) => tokens.get(portalId) ?? 'no-token' },
    retry: { baseDelayMs: 5 },
  });

beforeEach(() => {
  tokens.set(PORTAL, hs.sandbox.control.installApp({ portalId: PORTAL }).accessToken);
  hs.sandbox.control.createPortal({ portalId: OTHER_PORTAL });
  tokens.set(OTHER_PORTAL, hs.sandbox.control.installApp({ portalId: OTHER_PORTAL }).accessToken);
});

async function rejection(promise: Promise<unknown>): Promise<HubSpotApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HubSpotApiError);
  return error as HubSpotApiError;
}

function ticketWithThread() {
  const ticket = hs.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Refund please', ownerId: AGENT_OWNER, contactId: CONTACT });
  const thread = hs.sandbox.control.createThread({ portalId: PORTAL, contactId: CONTACT, text: 'Hello, I need a refund', ticketId: ticket.id });
  return { ticket, thread };
}

describe('CRM', () => {
  it('getTicket returns owner, stage, subject and contacts (its threads come from the Conversations API)', async () => {
    const { ticket } = ticketWithThread();
    expect(await gateway().getTicket(PORTAL, ticket.id)).toMatchObject({
      id: ticket.id, subject: 'Refund please', ownerId: AGENT_OWNER, pipeline: '0', pipelineStage: '1', contactIds: [CONTACT], archived: false,
    });
  });

  it('updateTicket changes properties in HubSpot', async () => {
    const { ticket } = ticketWithThread();
    const updated = await gateway().updateTicket(PORTAL, ticket.id, { hs_pipeline_stage: '2', hubspot_owner_id: '' });
    expect(updated.properties).toMatchObject({ hs_pipeline_stage: '2' });
    expect(hs.sandbox.state.portals[String(PORTAL)]!.tickets[ticket.id]!.properties).toMatchObject({ hs_pipeline_stage: '2', hubspot_owner_id: '' });
    expect((await gateway().getTicket(PORTAL, ticket.id)).ownerId).toBeNull();
  });

  it('updateTicket with an unknown property is a validation error', async () => {
    const { ticket } = ticketWithThread();
    const error = await rejection(gateway().updateTicket(PORTAL, ticket.id, { no_such_property: 'x' }));
    expect(error).toMatchObject({ kind: 'validation', status: 400, category: 'VALIDATION_ERROR' });
  });

  it('searchTickets filters and pages', async () => {
    ticketWithThread();
    hs.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Other', ownerId: AGENT_OWNER });
    hs.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Unowned' });
    const page = await gateway().searchTickets(PORTAL, { filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: AGENT_OWNER }], limit: 1 });
    expect(page.total).toBe(2);
    expect(page.results).toHaveLength(1);
    const next = await gateway().searchTickets(PORTAL, { filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: AGENT_OWNER }], limit: 1, after: page.nextAfter! });
    expect(next.results[0]!.subject).toBe('Other');
    expect(next.nextAfter).toBeUndefined();
  });

  it('createTicketNote creates a note associated with the ticket (type 228)', async () => {
    const { ticket } = ticketWithThread();
    const at = new Date('2026-01-02T03:04:05.000Z');
    const { noteId } = await gateway().createTicketNote(PORTAL, ticket.id, '<p>AI paused by agent</p>', at);
    const notes = hs.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId: ticket.id });
    expect(notes.map((n) => n.id)).toEqual([noteId]);
    expect(notes[0]!.properties).toMatchObject({ hs_note_body: '<p>AI paused by agent</p>', hs_timestamp: at.toISOString() });
  });

  it('ensureTicketProperty creates once; the second call meets 409 and is still a success', async () => {
    const definition = {
      name: 'ai_status', label: 'AI status', type: 'enumeration', fieldType: 'select', groupName: 'ticketinformation',
      options: [{ label: 'Active', value: 'active', displayOrder: 0 }, { label: 'Paused', value: 'paused', displayOrder: 1 }],
    } as const;
    const api = gateway();
    expect(await api.ensureTicketProperty(PORTAL, { ...definition, options: [...definition.options] })).toEqual({ created: true });
    expect(await api.ensureTicketProperty(PORTAL, { ...definition, options: [...definition.options] })).toEqual({ created: false });
    expect(hs.sandbox.state.portals[String(PORTAL)]!.ticketProperties['ai_status']).toMatchObject({ type: 'enumeration', fieldType: 'select' });
  });

  it('getOwner by owner id and by user id; getContact', async () => {
    const api = gateway();
    const byOwner = await api.getOwner(PORTAL, AGENT_OWNER);
    expect(byOwner).toMatchObject({ id: AGENT_OWNER, userId: AGENT_USER, email: 'jane.agent@example.com', firstName: 'Jane' });
    expect(await api.getOwnerByUserId(PORTAL, AGENT_USER)).toEqual(byOwner);
    expect((await rejection(api.getOwner(PORTAL, '999'))).kind).toBe('not_found');
    expect(await api.getContact(PORTAL, CONTACT)).toMatchObject({ id: CONTACT, properties: { email: 'chris.customer@example.com', firstname: 'Chris' } });
  });

  it('cannot reach another portal\'s ticket: 404 not_found', async () => {
    const { ticket } = ticketWithThread();
    const error = await rejection(gateway().getTicket(OTHER_PORTAL, ticket.id));
    expect(error).toMatchObject({ kind: 'not_found', status: 404, category: 'OBJECT_NOT_FOUND', isTransient: false });
    expect(error.correlationId).toEqual(expect.any(String));
  });
});

describe('Conversations', () => {
  it('reads the thread, pages messages, reads one message and the actor', async () => {
    const { thread } = ticketWithThread();
    hs.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: 'Are you there?' });
    const api = gateway();
    expect(await api.getThread(PORTAL, thread.id)).toMatchObject({ id: thread.id, status: 'OPEN', associatedContactId: CONTACT });
    const first = await api.listMessages(PORTAL, thread.id, { order: 'oldestFirst', limit: 1 });
    expect(first.results.map((m) => m.text)).toEqual(['Hello, I need a refund']);
    const second = await api.listMessages(PORTAL, thread.id, { order: 'oldestFirst', limit: 1, after: first.nextAfter! });
    expect(second.results.map((m) => m.text)).toEqual(['Are you there?']);
    expect(second.nextAfter).toBeUndefined();
    const newest = await api.listMessages(PORTAL, thread.id, { order: 'newestFirst' });
    expect(newest.results.map((m) => m.text)).toEqual(['Are you there?', 'Hello, I need a refund']);
    const one = await api.getMessage(PORTAL, thread.id, second.results[0]!.id);
    expect(one).toMatchObject({ text: 'Are you there?', direction: 'INCOMING' });
    expect(await api.getActor(PORTAL, `A-${AGENT_USER}`)).toMatchObject({ id: `A-${AGENT_USER}`, type: 'AGENT', email: 'jane.agent@example.com' });
  });

  it('finds the ticket of a thread (association=TICKET) and the threads of a ticket (associatedTicketId)', async () => {
    const { ticket, thread } = ticketWithThread();
    const api = gateway();
    expect(await api.getThreadWithTicket(PORTAL, thread.id)).toMatchObject({ thread: { id: thread.id }, ticketId: ticket.id });
    expect(await api.getThread(PORTAL, thread.id)).not.toHaveProperty('threadAssociations');
    expect(await api.listTicketThreads(PORTAL, ticket.id)).toEqual([thread.id]);
    expect(await api.listTicketThreads(PORTAL, '999999')).toEqual([]);
  });

  it('sends a reply on the customer\'s channel and an internal comment', async () => {
    const { thread } = ticketWithThread();
    const api = gateway();
    const incoming = (await api.listMessages(PORTAL, thread.id, { order: 'newestFirst' })).results.find((m) => m.direction === 'INCOMING')!;
    const sent = await api.sendThreadMessage(PORTAL, thread.id, {
      text: 'Refund issued.', richText: '<p>Refund issued.</p>', senderActorId: `A-${AGENT_USER}`, channelId: incoming.channelId!, channelAccountId: incoming.channelAccountId!,
    });
    expect(sent).toMatchObject({ type: 'MESSAGE', text: 'Refund issued.', conversationsThreadId: thread.id });
    const comment = await api.sendThreadComment(PORTAL, thread.id, { text: 'AI summary: refund' });
    expect(comment).toMatchObject({ type: 'COMMENT' });
    expect(hs.sandbox.state.portals[String(PORTAL)]!.threads[thread.id]!.messages.map((m) => m.type)).toEqual(['MESSAGE', 'MESSAGE', 'COMMENT']);
  });

  it('a send on the wrong channel is a validation error and is not retried', async () => {
    const { thread } = ticketWithThread();
    const error = await rejection(gateway().sendThreadMessage(PORTAL, thread.id, { text: 'x', senderActorId: `A-${AGENT_USER}`, channelId: '1000', channelAccountId: 'wrong' }));
    expect(error).toMatchObject({ kind: 'validation', status: 400 });
    expect(hs.sandbox.state.apiRequests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(1);
  });

  it('a thread of another portal is not found', async () => {
    const { thread } = ticketWithThread();
    expect((await rejection(gateway().getThread(OTHER_PORTAL, thread.id))).kind).toBe('not_found');
  });
});

describe('workflow callbacks and account info', () => {
  let actionServer: Server;
  let actionUrl: string;
  beforeAll(async () => {
    // Stands in for our own action endpoint: answers BLOCK so HubSpot waits for the callback.
    actionServer = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ outputFields: { hs_execution_state: 'BLOCK' } }));
    });
    await new Promise<void>((resolve) => actionServer.listen(0, '127.0.0.1', resolve));
    const address = actionServer.address();
    actionUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hubspot/actions/test`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => actionServer.close(() => resolve()));
  });

  it('completeCallback completes a blocked action (204)', async () => {
    const { ticket } = ticketWithThread();
    const execution = await hs.sandbox.control.runWorkflowAction({ portalId: PORTAL, actionUrl, objectType: 'TICKET', objectId: ticket.id });
    expect(execution.status).toBe('blocked');
    await expect(gateway().completeCallback(PORTAL, execution.callbackId, { hs_execution_state: 'SUCCESS', ai_status: 'paused' })).resolves.toBeUndefined();
    expect(hs.sandbox.state.actionExecutions.find((e) => e.callbackId === execution.callbackId)).toMatchObject({
      status: 'completed', completedVia: 'callback', outputFields: { hs_execution_state: 'SUCCESS', ai_status: 'paused' },
    });
    // Completing twice: the sandbox (like HubSpot, UNVERIFIED) no longer knows the callback.
    expect((await rejection(gateway().completeCallback(PORTAL, execution.callbackId, { hs_execution_state: 'SUCCESS' }))).kind).toBe('not_found');
  });

  it('getAccountDetails works with an OAuth token and a private app token', async () => {
    const api = gateway();
    expect(await api.getAccountDetails(tokens.get(PORTAL)!)).toMatchObject({ portalId: PORTAL, timeZone: expect.any(String) });
    const pat = hs.sandbox.control.createPrivateAppToken({ portalId: OTHER_PORTAL });
    expect(await api.checkPrivateAppToken(` ${pat.token} `)).toMatchObject({ valid: true, portalId: OTHER_PORTAL });
    expect(await api.checkPrivateAppToken('pat-na1-00000000-0000-0000-0000-000000000000')).toEqual({ valid: false, reason: 'unauthorized' });
  });
});
