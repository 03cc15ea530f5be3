// The AI status card end to end: the card's own API client, HubSpot's fetch proxy (the sandbox signs the final
// URL and appends the identity parameters), and the real server.
import { cardStatusSchema } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCardApi, type CardApi, type CardFetch } from '../../hubspot-project/app/cards/card-api';
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

/** `hubspot.fetch` as the sandbox's proxy performs it for a user of a portal. */
function proxyFetch(portalId: number, userId: number): CardFetch {
  return async (url, options) => {
    const res = await stack.sandbox.control.cardFetch({ portalId, userId, url, method: options.method, ...(options.body ? { body: options.body } : {}) });
    return { ok: res.status >= 200 && res.status < 300, status: res.status, json: async () => res.body };
  };
}

function cardFor(ticketId: string, portalId = portal.portalId, userIndex = 0): CardApi {
  const user = Object.values(stack.sandbox.state.portals[String(portalId)]!.users)[userIndex]!;
  return createCardApi(proxyFetch(portalId, user.userId), stack.serverUrl, { ticketId, portalId, userId: user.userId, userEmail: user.email });
}

describe('the AI status card', () => {
  it('shows the conversation status and the last AI reply, reading our store only', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const { store, clock } = stack.server.deps;
    await store.chatHistory.append({ id: 'm1', sessionId: session.id, role: 'ai', text: 'Your parcel left today.', hubspotMessageId: 'hm1', createdAt: clock.now(), erasedAt: null });
    const card = cardFor(ticketId);
    await card.loadStatus(); // warm up (first connection)

    const before = stack.sandbox.state.apiRequests.length;
    const status = await card.loadStatus();
    expect(stack.sandbox.state.apiRequests.length).toBe(before); // no HubSpot call on the read path
    expect(cardStatusSchema.parse(status)).toMatchObject({
      view: 'status',
      ticketId,
      sessionId: session.id,
      ai: { status: 'active' },
      lastAiReply: { text: 'Your parcel left today.' },
    });
  });

  it('pauses as the agent, named from HubSpot, and the workflow actions see the same state', async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    const result = await cardFor(ticketId).sendCommand({ action: 'pause', reason: 'I will answer this one' });
    expect(result).toMatchObject({
      outcome: 'paused',
      status: { view: 'status', ai: { status: 'paused', source: 'card', by: { kind: 'hubspot_user', name: 'Jane Agent' }, reason: 'I will answer this one' } },
    });
    const resume = await runAction(stack, portal.portalId, 'resume-ai', { objectId: ticketId });
    expect(resume.outputFields).toMatchObject({ outcome: 'resumed' });
    expect(await cardFor(ticketId).loadStatus()).toMatchObject({ ai: { status: 'active' } });
    expect((await stack.server.deps.store.aiControl.listEvents(session.id, 5)).map((e) => e.actor.kind)).toEqual(['workflow', 'hubspot_user']);
  });

  it('shows a workflow pause and lets the agent request a handoff', async () => {
    const { ticketId } = await seedTicketConversation(stack, portal);
    await runAction(stack, portal.portalId, 'pause-ai', { objectId: ticketId, inputFields: { durationMinutes: '30' } });
    expect(await cardFor(ticketId).loadStatus()).toMatchObject({ ai: { status: 'paused', source: 'workflow', until: expect.any(Number) } });
    const handoff = await cardFor(ticketId, portal.portalId, 1).sendCommand({ action: 'request_handoff' });
    expect(handoff).toMatchObject({
      outcome: 'handoff_requested',
      status: { ai: { status: 'handoff_requested', requestedBy: { name: 'Sam Support' } } },
    });
  });

  it('says when the ticket has no conversation, and when the portal is not connected', async () => {
    const ticket = stack.sandbox.control.createTicket({ portalId: portal.portalId, subject: 'x' });
    expect(await cardFor(ticket.id).loadStatus()).toEqual({ view: 'no_conversation', ticketId: ticket.id });
    expect(await cardFor(ticket.id).sendCommand({ action: 'pause' })).toEqual({ outcome: 'ignored', status: { view: 'no_conversation', ticketId: ticket.id } });

    const other = stack.sandbox.control.createPortal({ portalId: 70001, users: [{ userId: 11, email: 'o@example.com', firstName: 'O', lastName: 'P' }] });
    stack.sandbox.control.installApp({ portalId: other.portalId });
    expect(await cardFor(ticket.id, other.portalId).loadStatus()).toEqual({ view: 'not_connected', portalId: other.portalId });
  });

  it("never reads or changes another portal's conversation for the same ticket id", async () => {
    const { ticketId, session } = await seedTicketConversation(stack, portal);
    stack.sandbox.control.createPortal({ portalId: 70001, users: [{ userId: 11, email: 'o@example.com', firstName: 'O', lastName: 'Other' }] });
    const other = await connectPortalOverOAuth(stack, { portalId: 70001 });
    const otherCard = cardFor(ticketId, other.portalId);
    expect(await otherCard.loadStatus()).toEqual({ view: 'no_conversation', ticketId });
    expect(await otherCard.sendCommand({ action: 'pause' })).toMatchObject({ outcome: 'ignored' });
    expect(await stack.server.deps.store.aiControl.load(session.id)).toBeNull();
  });

  it('shows the AI reply to a customer who wrote in through HubSpot (session made by our webhook intake)', async () => {
    const contactId = Object.values(stack.sandbox.state.portals[String(portal.portalId)]!.contacts)[0]!.id;
    const ticket = stack.sandbox.control.createTicket({ portalId: portal.portalId, subject: 'Order', contactId });
    stack.sandbox.control.createThread({ portalId: portal.portalId, contactId, ticketId: ticket.id, text: 'Where is my order?' });
    const card = cardFor(ticket.id);
    await expect.poll(async () => (await card.loadStatus()).view, { timeout: 10_000 }).toBe('status');
    await stack.sandbox.idle();
    await expect
      .poll(async () => {
        const status = await card.loadStatus();
        return status.view === 'status' ? status.lastAiReply?.text : null;
      }, { timeout: 10_000 })
      .toEqual(expect.any(String));
  });

  it('refuses a card request that HubSpot did not sign', async () => {
    const res = await fetch(`${stack.serverUrl}/hubspot/card/ai-status?ticketId=1&portalId=${portal.portalId}&userId=1`);
    expect(res.status).toBe(401);
  });
});
