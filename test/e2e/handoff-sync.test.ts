// The product's promise, end to end through the sandbox alone: the AI answers a customer in the thread; an agent
// takes the ticket and the AI is paused within that one webhook delivery; it stays silent; after Resume it
// answers again; duplicate and out-of-order deliveries have one effect.
import { AI_STATUS_PROPERTY_NAME, type ChatMessage } from '@opencx/shared';
import { applyAiCommand } from '@opencx/server/ai-control/apply-command';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { waitUntilSettled } from '../support/settled';
import { startStack, type Stack } from '../support/stack';
import type { SandboxMessage } from '../sandbox/index';

const PORTAL = 62515;
const CUSTOMER = '101';
const JANE = { userId: 9586504, ownerId: '52550153' };
const ORDER_ANSWER = /tracking link/;

let stack: Stack;
let botUserId: number;

beforeEach(async () => {
  stack = await startStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } } });
  // The AI posts as the AI sender the admin chose: a dedicated user, so no agent's name is on its replies.
  botUserId = stack.sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' }).userId;
  await connectPortalOverOAuth(stack, { portalId: PORTAL, userId: botUserId, aiUserId: botUserId });
});
afterEach(async () => {
  stack.sandbox.control.clearFaults();
  await stack.close();
});

const deps = () => stack.server.deps;
const thread = (id: string) => stack.sandbox.state.portals[String(PORTAL)]!.threads[id]!;
const aiMessages = (threadId: string): SandboxMessage[] =>
  thread(threadId).messages.filter((m) => m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');
const sessionOf = async (threadId: string) => {
  const session = await deps().store.sessions.findByThread(PORTAL, threadId);
  if (!session) throw new Error(`no session for thread ${threadId}`);
  return session;
};
const history = async (threadId: string): Promise<ChatMessage[]> =>
  deps().store.chatHistory.listRecent((await sessionOf(threadId)).id, 100);
const aiStatus = async (threadId: string) => (await deps().store.aiControl.load((await sessionOf(threadId)).id))?.control.state.status ?? 'active';
const ticketProperty = (ticketId: string) =>
  stack.sandbox.state.portals[String(PORTAL)]!.tickets[ticketId]!.properties[AI_STATUS_PROPERTY_NAME];

const settled = () => waitUntilSettled(stack);

describe('handoff and sync through the sandbox', () => {
  it('answers, pauses on takeover within the delivery, stays silent, and answers again after Resume', async () => {
    const { control } = stack.sandbox;
    const t = control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT', text: 'Where is my order?' });
    const ticket = control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: t.id });

    // 1. The customer's message gets the AI's answer in the thread, stored in chat_history with its HubSpot id.
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    expect(aiMessages(t.id)[0]!.text).toMatch(ORDER_ANSWER);
    expect(aiMessages(t.id)[0]!.senders[0]!.actorId).toBe(`A-${botUserId}`);
    await settled();
    expect((await history(t.id)).map((m) => [m.role, m.hubspotMessageId])).toEqual([
      ['customer', t.messages[0]!.id],
      ['ai', aiMessages(t.id)[0]!.id],
    ]);
    expect(ticketProperty(ticket.id)).toBe('active');

    // 2. Jane takes the ticket: paused by the time HubSpot's delivery of that change has its answer.
    const deliveriesBefore = stack.sandbox.state.webhookDeliveries.length;
    control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId, actingUserId: JANE.userId });
    await stack.sandbox.idle();
    const delivery = stack.sandbox.state.webhookDeliveries
      .slice(deliveriesBefore)
      .find((d) => d.events.some((e) => e['propertyName'] === 'hubspot_owner_id'))!;
    expect(delivery.ok).toBe(true);
    const answeredAt = delivery.startedAt + delivery.durationMs!;
    const [takeover] = (await deps().store.inbox.list({ status: 'done' })).filter((r) => r.eventKind === 'ticketOwnerChanged');
    expect(takeover!.processedAt!).toBeLessThanOrEqual(answeredAt + 1);
    expect(await aiStatus(t.id)).toBe('paused');
    const [paused] = await deps().store.aiControl.listEvents((await sessionOf(t.id)).id, 1);
    expect(paused).toMatchObject({ type: 'ai_paused', actor: { kind: 'hubspot_owner', id: JANE.ownerId } });
    // The pause never waits for HubSpot to name the agent; the card gets the name right after.
    await expect
      .poll(async () => (await deps().store.aiControl.load((await sessionOf(t.id)).id))?.control.state)
      .toMatchObject({ status: 'paused', by: { name: 'Jane Agent' } });
    await settled();
    expect(ticketProperty(ticket.id)).toBe('paused');

    // 3. The next customer message is stored, and nobody but Jane answers it.
    control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'How long does shipping take?' });
    await settled();
    expect((await history(t.id)).map((m) => m.role)).toEqual(['customer', 'ai', 'customer']);
    expect(aiMessages(t.id)).toHaveLength(1);

    // 4. Resumed (the card's or a workflow's Resume), the AI answers the next message again.
    await applyAiCommand(deps(), (await sessionOf(t.id)).id, { type: 'resume', by: { kind: 'hubspot_user', id: String(JANE.userId), name: 'Jane Agent' } }, Date.now());
    control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Do you offer express delivery?' });
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(2);
    await settled();
    expect(ticketProperty(ticket.id)).toBe('active');
    expect((await history(t.id)).map((m) => m.role)).toEqual(['customer', 'ai', 'customer', 'customer', 'ai']);
  });

  it('pauses when an agent replies in the thread or is assigned the conversation, and never on its own replies', async () => {
    const { control } = stack.sandbox;
    const t = control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    await settled();
    expect(await aiStatus(t.id)).toBe('active');

    control.postAgentMessage({ portalId: PORTAL, threadId: t.id, userId: JANE.userId, text: 'Hi, Jane here.' });
    await settled();
    expect(await aiStatus(t.id)).toBe('paused');
    expect((await history(t.id)).map((m) => m.role)).toEqual(['customer', 'ai', 'agent']);

    const other = control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello again' });
    await expect.poll(() => aiMessages(other.id).length, { timeout: 10_000 }).toBe(1);
    control.assignThread({ portalId: PORTAL, threadId: other.id, userId: JANE.userId });
    await stack.sandbox.idle();
    expect(await aiStatus(other.id)).toBe('paused');
  });

  it('gives duplicate and out-of-order deliveries one effect', async () => {
    const { control } = stack.sandbox;
    control.setDeliveryInjections({ duplicate: 3, order: 'reverse', dropFirstAttempt: true });
    const t = control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT', text: 'Where is my order?' });
    const ticket = control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: t.id });
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    await settled();

    // Assigned then unassigned, delivered reversed: the later unassignment must stay the last word.
    await deps().store.organizations.updateSettings((await sessionOf(t.id)).organizationId, { unassignPolicy: 'resume' });
    control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId, actingUserId: JANE.userId });
    control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: null, actingUserId: JANE.userId });
    await settled();

    const events = await deps().store.aiControl.listEvents((await sessionOf(t.id)).id, 20);
    expect(events.map((e) => e.type).reverse()).toEqual(['ai_paused', 'ai_resumed']);
    expect(await aiStatus(t.id)).toBe('active');
    expect((await history(t.id)).map((m) => m.role)).toEqual(['customer', 'ai']);
    expect(aiMessages(t.id)).toHaveLength(1);
    const inbox = await deps().store.inbox.list();
    expect(new Set(inbox.map((r) => r.dedupKey)).size).toBe(inbox.length);
    expect(stack.sandbox.state.webhookDeliveries.filter((d) => d.ok === false).length).toBeGreaterThan(0);
  });
});
