// Issue 9, fault 2: HubSpot down, answering 429 storms, slow on its token endpoint (or rejecting a token early)
// while events that need HubSpot are processed. The webhooks keep being acknowledged, nothing is lost, the
// retries stay bounded, and the inbox drains once HubSpot is back.
//
// The server and the sandbox share one clock that the test can move forward: the effects outbox keeps its
// production backoff (from 15 s), so when write-backs are left waiting for it, the test lets that time pass
// instead of sleeping through it. Webhook signatures stay valid (both sides sign and check with that clock).
import { AI_STATUS_PROPERTY_NAME } from '@opencx/shared';
import { afterEach, expect, it } from 'vitest';
import type { Fault, SandboxMessage } from '../sandbox/index';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { createMovableClock, type MovableClock } from '../support/movable-clock';
import { startStack, type Stack } from '../support/stack';

const PORTAL = 62515;
const JANE = { userId: 9586504, ownerId: '52550153' };
const INBOX_ATTEMPTS = 12;
/** The gateway tries a failed HubSpot read up to 3 times within one processing attempt (INTERACTIVE_RETRY_POLICY). */
const CALL_ATTEMPTS = 3;

let stack: Stack | undefined;
afterEach(async () => {
  stack?.sandbox.control.clearFaults();
  await stack?.close();
  stack = undefined;
});

async function start(options: { accessTokenTtlSeconds?: number } = {}) {
  const clock = createMovableClock();
  stack = await startStack({
    sandbox: { now: clock.now, seedDemoPortal: true, ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}) },
    start: {
      clock,
      workers: {
        inbox: { pollIntervalMs: 20, retry: { maxAttempts: INBOX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 400 } },
        effects: { pollIntervalMs: 20 },
      },
    },
  });
  const bot = stack.sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  await connectPortalOverOAuth(stack, { portalId: PORTAL, userId: bot.userId });
  return { stack, clock };
}

interface Conversation {
  threadId: string;
  /** Every other conversation has a ticket, which Jane takes once HubSpot is in trouble. */
  ticketId: string | null;
}

/** Before the trouble: customers write in new live-chat threads (half with a ticket); the AI answers each once. */
async function conversationsStarted(s: Stack, clock: MovableClock, count: number): Promise<Conversation[]> {
  const { control } = s.sandbox;
  const conversations = Array.from({ length: count }, (_, i) => {
    const contact = control.createContact({ portalId: PORTAL, email: `customer${i}@example.com` });
    const thread = control.createThread({ portalId: PORTAL, contactId: contact.id, channel: 'LIVE_CHAT', text: `Where is my order ${i}?` });
    const ticketId = i % 2 === 1 ? control.createTicket({ portalId: PORTAL, subject: `Order ${i}`, contactId: contact.id, threadId: thread.id }).id : null;
    return { threadId: thread.id, ticketId };
  });
  await drain(s, clock);
  for (const c of conversations) expect(aiMessages(s, c.threadId)).toHaveLength(1);
  return conversations;
}

/** During the trouble: Jane takes the tickets, and every customer writes again. */
function agentsTakeOverAndCustomersWrite(s: Stack, conversations: Conversation[]): void {
  const { control } = s.sandbox;
  for (const c of conversations) {
    if (c.ticketId) control.setTicketOwner({ portalId: PORTAL, ticketId: c.ticketId, ownerId: JANE.ownerId, actingUserId: JANE.userId });
  }
  conversations.forEach((c, i) => control.postCustomerMessage({ portalId: PORTAL, threadId: c.threadId, text: `Has my order ${i} shipped yet?` }));
}

async function unfinished(s: Stack) {
  const inbox = await s.server.deps.store.inbox.countByStatus();
  const effects = Object.values(await s.server.deps.store.outbox.countUnfinished()).reduce((a, b) => a + b, 0);
  return { inbox: inbox.pending + inbox.processing, effects };
}

/** Waits until everything is done; write-backs waiting for their backoff get that time (30 s steps). */
async function drain(s: Stack, clock: MovableClock, timeoutMs = 20_000) {
  await expect
    .poll(
      async () => {
        await s.sandbox.idle();
        const left = await unfinished(s);
        if (left.inbox === 0 && left.effects > 0) clock.advance(30_000);
        return left;
      },
      { timeout: timeoutMs, interval: 200 },
    )
    .toEqual({ inbox: 0, effects: 0 });
  const dead = await s.server.deps.store.inbox.list({ status: 'dead', limit: 100 });
  expect(dead.map((r) => `${r.eventKind}: ${r.lastError}`)).toEqual([]);
}

const aiMessages = (s: Stack, threadId: string): SandboxMessage[] =>
  s.sandbox.state.portals[String(PORTAL)]!.threads[threadId]!.messages.filter((m) => m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');

/** What HubSpot's users see: a second AI reply where nobody took over, none after Jane took the ticket. */
async function expectConversationsSettled(s: Stack, conversations: Conversation[]) {
  for (const c of conversations) {
    const session = await s.server.deps.store.sessions.findByThread(PORTAL, c.threadId);
    expect(session, `thread ${c.threadId}`).not.toBeNull();
    const history = await s.server.deps.store.chatHistory.listRecent(session!.id, 50);
    expect(history.filter((m) => m.role === 'customer'), `thread ${c.threadId}`).toHaveLength(2);
    const replies = c.ticketId ? 1 : 2;
    expect(aiMessages(s, c.threadId), `thread ${c.threadId}${c.ticketId ? ' (taken by Jane)' : ''}`).toHaveLength(replies);
    expect(history.filter((m) => m.role === 'ai')).toHaveLength(replies);
    if (c.ticketId) expect(s.sandbox.state.portals[String(PORTAL)]!.tickets[c.ticketId]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('paused');
  }
  const rows = await s.server.deps.store.inbox.list({ limit: 10_000 });
  expect(rows.filter((r) => r.status !== 'done' && r.status !== 'ignored')).toEqual([]);
  expect(Math.max(...rows.map((r) => r.attempts))).toBeLessThanOrEqual(INBOX_ATTEMPTS);
  return rows;
}

const deliveriesFailed = (s: Stack) => s.sandbox.state.webhookDeliveries.filter((d) => !d.ok);

it('acknowledges webhooks while HubSpot is down, retries within bounds, and catches up once it is back', { timeout: 40_000 }, async () => {
  const { stack: s, clock } = await start();
  const conversations = await conversationsStarted(s, clock, 6);
  const down: Fault = s.sandbox.control.addFault({ status: 503 });
  agentsTakeOverAndCustomersWrite(s, conversations);
  await s.sandbox.idle();
  // Intake never needs HubSpot: every delivery was acknowledged at its first attempt, outage or not.
  expect(deliveriesFailed(s)).toEqual([]);
  await expect.poll(() => down.hits, { timeout: 10_000 }).toBeGreaterThan(40);
  const during = await s.server.deps.store.inbox.list({ limit: 10_000 });
  expect(during.filter((r) => r.status === 'dead')).toEqual([]);
  // The customers' new messages wait for HubSpot; Jane's takeovers did not need it (the tickets were linked).
  expect(during.filter((r) => r.eventKind === 'threadNewMessage' && r.status !== 'done').length).toBe(conversations.length);

  s.sandbox.control.clearFaults();
  const hitsAtRecovery = down.hits;
  const requestsAtRecovery = s.sandbox.state.apiRequests.length;
  await drain(s, clock);
  const rows = await expectConversationsSettled(s, conversations);
  // Bounded: no event tried more than its policy allows, and the outage cost at most that many calls per event.
  expect(hitsAtRecovery).toBeLessThanOrEqual(rows.length * INBOX_ATTEMPTS * CALL_ATTEMPTS);
  // Once back, HubSpot sees a handful of calls per conversation, not a retry storm.
  expect(s.sandbox.state.apiRequests.length - requestsAtRecovery).toBeLessThanOrEqual(conversations.length * 12);
});

it('gets every event through a storm of 429s, backing off as HubSpot asks', { timeout: 40_000 }, async () => {
  const { stack: s, clock } = await start();
  // HubSpot allows 2 calls per 250 ms for the whole storm (429s with its rate-limit headers).
  const conversations = await conversationsStarted(s, clock, 6);
  const before = s.sandbox.state.apiRequests.length;
  s.sandbox.control.setRateLimit({ max: 2, intervalMs: 250 });
  agentsTakeOverAndCustomersWrite(s, conversations);
  await s.sandbox.idle();
  expect(deliveriesFailed(s)).toEqual([]);
  await drain(s, clock, 30_000);
  await expectConversationsSettled(s, conversations);
  const statuses = s.sandbox.state.apiRequests.slice(before).map((r) => r.status);
  const limited = statuses.filter((x) => x === 429).length;
  const served = statuses.filter((x) => x < 300).length;
  expect(limited).toBeGreaterThan(0);
  // The client waits out HubSpot's window after a 429 instead of hammering it: refusals stay of the order of the
  // calls that got through (about 2.5 each here, with 16 lanes sharing 2 calls per window).
  expect(limited).toBeLessThanOrEqual(served * 4);
});

it('keeps processing while HubSpot is slow to refresh tokens, and refreshes once at a time', { timeout: 40_000 }, async () => {
  // Tokens live 303 s, so with the 5-minute refresh margin a token is due 3 s after it is issued; moving the clock
  // on makes the stored one due as the events arrive, and every call waits for the (slow) refresh.
  const { stack: s, clock } = await start({ accessTokenTtlSeconds: 303 });
  const conversations = await conversationsStarted(s, clock, 6);
  const slow: Fault = s.sandbox.control.addFault({ pathPrefix: '/oauth', delayMs: 1_500 });
  clock.advance(3_500);
  agentsTakeOverAndCustomersWrite(s, conversations);
  await s.sandbox.idle();
  expect(deliveriesFailed(s)).toEqual([]);
  await drain(s, clock, 30_000);
  const rows = await expectConversationsSettled(s, conversations);
  expect(slow.hits).toBeGreaterThan(0);
  // Single-flight: the dozens of calls waiting for a token share one refresh; none failed for want of it.
  expect(slow.hits).toBeLessThanOrEqual(4);
  expect(rows.filter((r) => r.attempts > 1).map((r) => `${r.eventKind}: ${r.attempts}`)).toEqual([]);
});

it('recovers when HubSpot rejects the access token before its stated expiry (401), without losing events', { timeout: 40_000 }, async () => {
  const { stack: s, clock } = await start();
  const conversations = await conversationsStarted(s, clock, 2);
  // HubSpot considers every token issued so far expired; OpenCX still believes it has 30 minutes.
  s.sandbox.control.expireAccessTokens({ portalId: PORTAL });
  agentsTakeOverAndCustomersWrite(s, conversations);
  await s.sandbox.idle();
  expect(deliveriesFailed(s)).toEqual([]);
  await drain(s, clock);
  await expectConversationsSettled(s, conversations);
  const unauthorized = s.sandbox.state.apiRequests.filter((r) => r.status === 401).length;
  expect(unauthorized).toBeLessThanOrEqual(conversations.length * CALL_ATTEMPTS);
});

it('pauses at once when an agent takes a ticket while HubSpot is slow to name the agent', { timeout: 40_000 }, async () => {
  const { stack: s, clock } = await start();
  const conversations = (await conversationsStarted(s, clock, 2)).filter((c) => c.ticketId);
  // The owners endpoint (the agent's name for the audit trail) takes most of a second; everything else is fast.
  const slowNames = s.sandbox.control.addFault({ pathPrefix: '/crm/v3/owners', delayMs: 900 });
  // Jane takes the ticket, and a moment later the customer writes: both reach OpenCX in one webhook batch.
  agentsTakeOverAndCustomersWrite(s, conversations);
  await drain(s, clock);
  expect(slowNames.hits).toBeGreaterThan(0);
  await expectConversationsSettled(s, conversations);
});
