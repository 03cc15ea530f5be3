import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAiCommand } from '../ai-control/apply-command';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const thread = (id: string) => h.sandbox.state.portals[String(PORTAL)]!.threads[id]!;
const sessionOf = async (threadId: string) => (await h.deps.store.sessions.findByThread(PORTAL, threadId))!;
const historyOf = async (threadId: string) => h.deps.store.chatHistory.listRecent((await sessionOf(threadId)).id, 50);
const aiPosts = (threadId: string) => thread(threadId).messages.filter((m) => m.client.clientType === 'INTEGRATION');
const jane = { kind: 'hubspot_user' as const, id: String(JANE.userId), name: 'Jane Agent' };

describe('new message', () => {
  it("stores the customer's message and asks the AI, whose reply is posted and stored once", async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await h.ingest();
    await h.drainInbox();
    expect(await h.deps.store.outbox.countUnfinished()).toEqual({ askAiToReply: 1 });
    await h.sync();
    const history = await historyOf(t.id);
    expect(history.map((m) => [m.role, m.hubspotMessageId])).toEqual([
      ['customer', t.messages[0]!.id],
      ['ai', aiPosts(t.id)[0]!.id],
    ]);
    expect(history[0]!.text).toBe('Where is my order?');
    expect(aiPosts(t.id)).toHaveLength(1);
    // The reply's own newMessage event came back: already recorded by the reply, not stored twice.
    expect((await h.deps.store.inbox.list({ status: 'done' })).map((r) => r.note)).toContain('already recorded');
  });

  it('records a reply of ours whose own record was lost (a crash between the post and the record)', async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await h.sync();
    // What a process killed right after HubSpot's 201 leaves behind: our message in the thread, unrecorded.
    const session = await sessionOf(t.id);
    const incoming = t.messages[0]!;
    const lost = await h.deps.hubspot.sendThreadMessage(PORTAL, t.id, {
      text: 'It ships today.', senderActorId: `A-${h.botUserId}`, channelId: incoming.channelId!, channelAccountId: incoming.channelAccountId!,
    });
    expect(lost.client).toMatchObject({ clientType: 'INTEGRATION' });
    await h.sync();
    const history = await h.deps.store.chatHistory.listRecent(session.id, 50);
    expect(history.filter((m) => m.role === 'ai').map((m) => [m.hubspotMessageId, m.text])).toEqual([
      [aiPosts(t.id)[0]!.id, aiPosts(t.id)[0]!.text],
      [lost.id, 'It ships today.'],
    ]);
    // Recording it did not ask the AI again, and the AI stays active.
    expect(aiPosts(t.id)).toHaveLength(2);
    expect((await h.deps.store.aiControl.load(session.id))?.control.state.status ?? 'active').toBe('active');
  });

  it('stores but does not answer while the AI is paused', async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.sync();
    const session = await sessionOf(t.id);
    await applyAiCommand(h.deps, session.id, { type: 'pause', source: 'card', by: jane }, h.deps.clock.now());
    await h.drainEffects();
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Where is my order?' });
    await h.sync();
    expect((await historyOf(t.id)).map((m) => m.role)).toEqual(['customer']);
    expect(aiPosts(t.id)).toEqual([]);
  });

  it("pauses the AI when an agent replies, and stores the agent's message", async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
    await h.sync();
    h.sandbox.control.postAgentMessage({ portalId: PORTAL, threadId: t.id, userId: JANE.userId, text: 'Jane here, let me look.' });
    await h.sync();
    const session = await sessionOf(t.id);
    expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({
      status: 'paused',
      source: 'agent_replied',
      by: { kind: 'hubspot_user', id: String(JANE.userId), name: 'Jane Agent' },
    });
    expect((await historyOf(t.id)).map((m) => m.role)).toEqual(['customer', 'ai', 'agent']);
  });

  it("ignores internal comments, and messages HubSpot no longer has", async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.sync();
    h.sandbox.control.postAgentMessage({ portalId: PORTAL, threadId: t.id, userId: JANE.userId, text: 'note to self', type: 'COMMENT' });
    await h.ingest();
    await h.ingest([
      { eventId: 77, subscriptionId: 7662275, portalId: PORTAL, appId: 1, occurredAt: Date.now(), subscriptionType: 'conversation.newMessage', attemptNumber: 0, objectId: Number(t.id), messageId: 'gone', messageType: 'MESSAGE' },
    ]);
    expect(await h.drainInbox()).toEqual(['ignored', 'ignored']);
    expect(await historyOf(t.id)).toEqual([]);
    const session = await sessionOf(t.id);
    expect(await h.deps.store.aiControl.load(session.id)).toBeNull();
  });

  it('answers one reply for messages delivered twice and out of order', async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Hello' });
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Where is my order?' });
    const events = h.sandbox.state.webhookEvents.splice(0) as unknown as Record<string, unknown>[];
    await h.ingest([...events].reverse());
    await h.ingest(events.map((e) => ({ ...e, attemptNumber: 1 })));
    await h.sync();
    expect((await historyOf(t.id)).map((m) => [m.role, m.text.slice(0, 12)])).toEqual([
      ['customer', 'Hello'],
      ['customer', 'Where is my '],
      ['ai', expect.any(String)],
    ]);
    expect(aiPosts(t.id)).toHaveLength(1);
  });

  it('reopens a closed conversation when the customer writes again', async () => {
    const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.sync();
    const session = await sessionOf(t.id);
    await h.deps.store.sessions.setStatus(session.id, 'closed', h.deps.clock.now());
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Hello?' });
    await h.sync();
    expect(await h.deps.store.sessions.get(session.id)).toMatchObject({ status: 'open' });
  });
});
