import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiServiceError, type AiAgent } from '../ai';
import { applyAiCommand } from '../ai-control/apply-command';
import { createHubSpotApiGateway } from '../hubspot';
import { replyWithAi } from './ai-reply';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
afterEach(() => h.close());

const thread = (id: string) => h.sandbox.state.portals[String(PORTAL)]!.threads[id]!;
const posts = (id: string) => thread(id).messages.filter((m) => m.client.clientType === 'INTEGRATION');
const sessionOf = async (threadId: string) => (await h.deps.store.sessions.findByThread(PORTAL, threadId))!;
const jane = { kind: 'hubspot_user' as const, id: String(JANE.userId), name: 'Jane Agent' };

/** A conversation whose customer message is stored but not answered yet (the AI's effect not run). */
async function unanswered(text: string, channel: 'LIVE_CHAT' | 'EMAIL' = 'LIVE_CHAT', subject?: string) {
  const t = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel, text, ...(subject ? { subject } : {}) });
  await h.ingest();
  await h.drainInbox();
  return { thread: t, session: await sessionOf(t.id) };
}

describe('replyWithAi', () => {
  beforeEach(async () => {
    h = await startSyncHarness();
  });

  it('posts the answer as the connecting user on the chat channel, stores it, and answers a repeat from the ledger', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    const first = await replyWithAi(h.deps, session.id);
    expect(first).toMatchObject({ kind: 'answered', text: expect.stringMatching(/tracking link/) });
    expect(posts(t.id)).toHaveLength(1);
    expect(posts(t.id)[0]).toMatchObject({ senders: [{ actorId: `A-${h.botUserId}` }], channelId: '1000', text: (first as { text: string }).text });
    expect(await replyWithAi(h.deps, session.id)).toEqual(first);
    expect(posts(t.id)).toHaveLength(1);
    const history = await h.deps.store.chatHistory.listRecent(session.id, 10);
    expect(history.map((m) => [m.role, m.hubspotMessageId])).toEqual([
      ['customer', t.messages[0]!.id],
      ['ai', posts(t.id)[0]!.id],
    ]);
  });

  it("replies to an email with the customer as recipient, a Re: subject and the organization's signature", async () => {
    await h.deps.store.signatures.save({ organizationId: h.organization.id, enabled: true, text: '— Acme Support\nacme.example.com', updatedAt: 0 });
    const { thread: t, session } = await unanswered('Where is my order?', 'EMAIL', 'Order 1234');
    const result = await replyWithAi(h.deps, session.id);
    expect(result.kind).toBe('answered');
    const [post] = posts(t.id);
    expect(post!.text).toMatch(/tracking link[\s\S]*\n\n— Acme Support\nacme\.example\.com$/);
    expect(post!.subject).toBe('Re: Order 1234');
    expect(post!.recipients).toEqual([expect.objectContaining({ actorId: `V-${CUSTOMER}`, deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: 'chris.customer@example.com' } })]);
  });

  it('leaves the signature off chat replies', async () => {
    await h.deps.store.signatures.save({ organizationId: h.organization.id, enabled: true, text: '— Acme Support', updatedAt: 0 });
    const { thread: t, session } = await unanswered('Where is my order?');
    await replyWithAi(h.deps, session.id);
    expect(posts(t.id)[0]!.text).not.toContain('Acme Support');
  });

  it('does not answer while paused, nor a customer already answered (unless instructed)', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    await applyAiCommand(h.deps, session.id, { type: 'pause', source: 'card', by: jane }, h.deps.clock.now());
    expect(await replyWithAi(h.deps, session.id)).toEqual({ kind: 'skipped', reason: 'ai_not_active' });
    await applyAiCommand(h.deps, session.id, { type: 'resume', by: jane }, h.deps.clock.now());
    await replyWithAi(h.deps, session.id);
    h.sandbox.control.postAgentMessage({ portalId: PORTAL, threadId: t.id, userId: JANE.userId, text: 'Hi!', type: 'COMMENT' });
    expect(await replyWithAi(h.deps, session.id, { requestKey: 'another' })).toMatchObject({ kind: 'no_reply' });
    expect(await replyWithAi(h.deps, session.id, { instruction: 'say: Anything else?' })).toMatchObject({ kind: 'answered', text: 'Anything else?' });
    expect(posts(t.id).map((m) => m.text.slice(0, 14))).toEqual([expect.any(String), 'Anything else?']);
  });

  it('drops a draft when an agent takes over while the AI is thinking', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    const slowAi: AiAgent = {
      reply: async (input) => {
        await applyAiCommand(h.deps, session.id, { type: 'ownerAssigned', owner: jane, detectedBy: 'webhook' }, h.deps.clock.now());
        return h.deps.ai.reply(input);
      },
    };
    expect(await replyWithAi({ ...h.deps, ai: slowAi }, session.id)).toEqual({ kind: 'skipped', reason: 'ai_not_active' });
    expect(posts(t.id)).toEqual([]);
  });

  it('posts once when the post timed out but HubSpot did create the message (found in the thread on retry)', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    const impatient = createHubSpotApiGateway({ basePath: h.deps.config.hubspotApiBaseUrl, tokens: h.deps.tokens, timeoutMs: 100 });
    h.sandbox.control.addFault({ pathPrefix: '/conversations', method: 'POST', delayMs: 300, count: 1 });
    await expect(replyWithAi({ ...h.deps, hubspot: impatient }, session.id)).rejects.toMatchObject({ kind: 'transient' });
    await expect.poll(() => posts(t.id).length).toBe(1);
    const retried = await replyWithAi(h.deps, session.id);
    expect(retried).toMatchObject({ kind: 'answered', hubspotMessageId: posts(t.id)[0]!.id });
    expect(posts(t.id)).toHaveLength(1);
  });

  it('posts again after a failure that certainly posted nothing, with the same words', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    h.sandbox.control.addFault({ pathPrefix: '/conversations', method: 'POST', status: 400, count: 1 });
    await expect(replyWithAi(h.deps, session.id)).rejects.toMatchObject({ kind: 'validation' });
    const key = `reply:${session.id}:${t.messages[0]!.id}:-`;
    const draft = await h.deps.store.aiReplies.get(key);
    expect(draft).toMatchObject({ status: 'drafted', sendStartedAt: null, leaseUntil: null });
    const result = await replyWithAi(h.deps, session.id);
    expect(result).toMatchObject({ kind: 'answered', text: draft!.text });
    expect(posts(t.id)).toHaveLength(1);
  });

  it('hands off when the customer asks for a person, and never twice for that message after a resume', async () => {
    const { thread: t, session } = await unanswered('I want to talk to a human please');
    expect(await replyWithAi(h.deps, session.id)).toMatchObject({ kind: 'handoff', outcome: 'handoff_requested' });
    expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({ status: 'handoff_requested', requestId: t.messages[0]!.id });
    expect(await h.deps.store.outbox.countUnfinished()).toMatchObject({ writeHandoffNote: 1, setTicketAiStatus: 1 });
    await applyAiCommand(h.deps, session.id, { type: 'resume', by: jane }, h.deps.clock.now());
    expect(await replyWithAi(h.deps, session.id)).toMatchObject({ kind: 'handoff' });
    expect(await replyWithAi(h.deps, session.id, { requestKey: 'asked again' })).toMatchObject({ kind: 'handoff', outcome: 'handoff_suppressed' });
    expect((await h.deps.store.aiControl.load(session.id))?.control.state.status).toBe('active');
    expect(posts(t.id)).toEqual([]);
  });

  it('hands off when the AI service refuses for good, and retries later when it is only down', async () => {
    const { session } = await unanswered('Where is my order?');
    const down: AiAgent = { reply: async () => Promise.reject(new AiServiceError('unreachable', 'connection refused', null, 3)) };
    await expect(replyWithAi({ ...h.deps, ai: down }, session.id)).rejects.toBeInstanceOf(AiServiceError);
    const refusing: AiAgent = { reply: async () => Promise.reject(new AiServiceError('rejected', 'HTTP 400', 400, 1)) };
    expect(await replyWithAi({ ...h.deps, ai: refusing }, session.id)).toMatchObject({ kind: 'handoff', reason: expect.stringContaining('rejected') });
  });

  it('tells a second concurrent caller of the same request to come back, and gives it the first answer then', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: AiAgent = { reply: async (input) => gate.then(() => h.deps.ai.reply(input)) };
    const first = replyWithAi({ ...h.deps, ai: slow }, session.id);
    await expect.poll(async () => (await h.deps.store.aiReplies.get(`reply:${session.id}:${t.messages[0]!.id}:-`))?.status).toBe('pending');
    await expect(replyWithAi(h.deps, session.id)).rejects.toMatchObject({ code: 'unavailable' });
    release();
    const answer = await first;
    expect(await replyWithAi(h.deps, session.id)).toEqual(answer);
    expect(posts(t.id)).toHaveLength(1);
  });
});

describe('replyWithAi on a legacy Private App portal', () => {
  beforeEach(async () => {
    h = await startSyncHarness({ oauth: false });
  });

  it('checks the thread assignee through the API first, and pauses instead of answering', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: t.id, userId: JANE.userId });
    expect(await replyWithAi(h.deps, session.id)).toEqual({ kind: 'skipped', reason: 'agent_owns_conversation' });
    expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({
      status: 'paused',
      source: 'legacy_owner_check',
      by: { kind: 'hubspot_user', id: String(JANE.userId) },
    });
    expect(posts(t.id)).toEqual([]);
  });

  it('checks the ticket owner too, and answers when nobody owns the conversation', async () => {
    const { thread: t, session } = await unanswered('Where is my order?');
    const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', threadId: t.id });
    await h.sync();
    expect(posts(t.id)).toHaveLength(1);
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    h.sandbox.state.webhookEvents.splice(0); // a Private App portal gets no ownership events
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Hello?' });
    await h.sync();
    expect(posts(t.id)).toHaveLength(1);
    expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({ status: 'paused', source: 'legacy_owner_check' });
  });
});
