import * as fixtures from '@opencx/shared/webhooks/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processInboxEvent } from './process-event';
import { CUSTOMER, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const POLICY = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const claimOne = async () => {
  const [claimed] = await h.deps.store.inbox.claimDue({ now: h.deps.clock.now(), limit: 1, leaseMs: 60_000 });
  if (!claimed) throw new Error('nothing to claim');
  return claimed;
};

describe('processInboxEvent', () => {
  it('ignores events of portals without a connection and types we do not handle, saying why', async () => {
    await h.ingest([{ ...fixtures.newMessage, portalId: 999 }, { ...fixtures.docContactCreation, portalId: PORTAL }]);
    expect(await h.drainInbox()).toEqual(['ignored', 'ignored']);
    expect((await h.deps.store.inbox.list()).map((r) => r.note)).toEqual([
      'subscription type contact.creation is not handled',
      'portal 999 is not connected',
    ]);
  });

  it('retries a transient HubSpot failure with backoff, then dead-letters it with its last error', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.ingest();
    h.sandbox.control.addFault({ pathPrefix: '/conversations', status: 503 });
    const start = h.deps.clock.now();

    expect(await processInboxEvent(h.deps, await claimOne(), POLICY)).toBe('retrying');
    const [pending] = await h.deps.store.inbox.list({ status: 'pending' });
    expect(pending).toMatchObject({ attempts: 1, nextAttemptAt: start + 1_000, lastError: expect.stringContaining('503') });
    expect(await h.deps.store.inbox.claimDue({ now: start + 999, limit: 1, leaseMs: 1 })).toEqual([]);

    h.deps.clock.advance(1_000);
    expect(await processInboxEvent(h.deps, await claimOne(), POLICY)).toBe('retrying');
    h.deps.clock.advance(2_000);
    expect(await processInboxEvent(h.deps, await claimOne(), POLICY)).toBe('dead');
    expect(await h.deps.store.inbox.list({ status: 'dead' })).toEqual([
      expect.objectContaining({ attempts: 3, lastError: expect.stringContaining('HubSpot getThreadWithTicket failed (503') }),
    ]);
    expect(await h.deps.store.sessions.findByThread(PORTAL, thread.id)).toBeNull();
  });

  it('dead-letters at once what no retry can fix (HubSpot refusing the request)', async () => {
    h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.ingest();
    h.sandbox.control.addFault({ pathPrefix: '/conversations', status: 403 });
    expect(await processInboxEvent(h.deps, await claimOne(), POLICY)).toBe('dead');
  });

  it('dead-letters a stored event that no longer parses, at the first attempt', async () => {
    await h.deps.store.inbox.insertBatch(
      [{ dedupKey: 'x', portalId: PORTAL, subscriptionType: 'conversation.newMessage', objectId: '1', orderingKey: 'thread:1:1', occurredAt: 1, eventId: 1, eventKind: 'threadNewMessage', payload: '{"eventId":"one"}' }],
      h.deps.clock.now(),
    );
    expect(await processInboxEvent(h.deps, await claimOne(), POLICY)).toBe('dead');
    expect(await h.deps.store.inbox.list({ status: 'dead' })).toEqual([
      expect.objectContaining({ attempts: 1, lastError: expect.stringMatching(/^PermanentFailure: stored event no longer parses: eventId/) }),
    ]);
  });

  it("rolls the handler's writes back when its claim was taken over meanwhile", async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
    await h.sync();
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: 'Anyone?' });
    await h.ingest();
    const stale = await claimOne();
    h.deps.clock.advance(60_000);
    const current = await claimOne();
    expect(await processInboxEvent(h.deps, stale)).toBe('lost');
    const session = (await h.deps.store.sessions.findByThread(PORTAL, thread.id))!;
    expect((await h.deps.store.chatHistory.listRecent(session.id, 10)).map((m) => m.text)).not.toContain('Anyone?');
    expect(await processInboxEvent(h.deps, current)).toBe('done');
    expect((await h.deps.store.chatHistory.listRecent(session.id, 10)).map((m) => m.text)).toContain('Anyone?');
  });
});
