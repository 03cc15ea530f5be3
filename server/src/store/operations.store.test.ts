import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../testing/engine-deps';
import { useSeededEngine } from '../../testing/seeded-engine';
import { TEST_NOW } from '../../testing/test-deps';
import type { NewInboxEvent } from './webhook-inbox.store';

const DAY = 24 * 3_600_000;
const PORTAL = 1001;

const anEvent = (n: number, overrides: Partial<NewInboxEvent> = {}): NewInboxEvent => ({
  dedupKey: `key-${n}`, portalId: PORTAL, subscriptionType: 'conversation.newMessage', objectId: `t${n}`, orderingKey: `thread:t${n}`,
  occurredAt: TEST_NOW, eventId: n, eventKind: 'newMessage', payload: JSON.stringify({ objectId: n }), ...overrides,
});

describe.each(ENGINES)('%s', (engine) => {
  const deps = useSeededEngine(engine);

  /** Stores events and finishes each: done, or dead when `dead` says so. */
  const finishEvents = async (events: NewInboxEvent[], at: number, dead = false) => {
    await deps().store.inbox.insertBatch(events, at);
    const claimed = await deps().store.inbox.claimDue({ now: at, limit: 100, leaseMs: 1_000 });
    for (const c of claimed) {
      if (dead) await deps().store.inbox.fail(c.id, c.attempts, 'HubSpot said 400', null, at);
      else await deps().store.inbox.complete(c.id, c.attempts, { status: 'done' }, at);
    }
  };
  const finishEffect = async (at: number, dead = false) => {
    await deps().store.outbox.enqueue([{ sessionId: 'ses_1', portalId: PORTAL, effect: { type: 'askAiToReply', instruction: null } }], at);
    const [c] = await deps().store.outbox.claimDue({ now: at, limit: 1, leaseMs: 1_000 });
    if (dead) await deps().store.outbox.markFailed(c!.id, c!.attempts, 'HubSpot said 403', null, at);
    else await deps().store.outbox.markDone(c!.id, c!.attempts, at);
    return c!.id;
  };

  describe('operations store: retention', () => {
    it('deletes finished rows older than the cutoff in bounded batches, and keeps recent, unfinished and dead ones', async () => {
      const old = TEST_NOW - 20 * DAY;
      await finishEvents([anEvent(1), anEvent(2), anEvent(3)], old);
      await finishEvents([anEvent(4)], old, true);
      await finishEvents([anEvent(5)], TEST_NOW);
      await deps().store.inbox.insertBatch([anEvent(6, { occurredAt: old })], old);
      await finishEffect(old);
      await finishEffect(old, true);
      await deps().store.effectSteps.record('effect:1:note:1', null, old);
      await deps().store.actionExecutions.insertFirst({ callbackId: 'cb-old', portalId: PORTAL, action: 'pause-ai', request: {}, answer: { outputFields: {} } }, old);
      await deps().store.actionExecutions.insertFirst({ callbackId: 'cb-new', portalId: PORTAL, action: 'pause-ai', request: {}, answer: { outputFields: {} } }, TEST_NOW - DAY);

      const cutoffs = { inbox: TEST_NOW - 14 * DAY, outbox: TEST_NOW - 14 * DAY, actions: TEST_NOW - 14 * DAY };
      expect(await deps().store.operations.prune(cutoffs, 2)).toEqual({ inbox: 2, outbox: 1, steps: 1, actions: 1 });
      expect(await deps().store.operations.prune(cutoffs, 2)).toEqual({ inbox: 1, outbox: 0, steps: 0, actions: 0 });
      expect(await deps().store.operations.prune(cutoffs, 2)).toEqual({ inbox: 0, outbox: 0, steps: 0, actions: 0 });

      expect((await deps().store.inbox.list()).map((e) => [e.dedupKey, e.status])).toEqual([
        ['key-6', 'pending'],
        ['key-4', 'dead'],
        ['key-5', 'done'],
      ]);
      expect(await deps().store.actionExecutions.get('cb-old')).toBeNull();
      expect(await deps().store.actionExecutions.get('cb-new')).not.toBeNull();
      expect((await deps().store.operations.queueFigures()).outbox).toEqual({ unfinished: 0, oldestUnfinishedAt: null, dead: 1 });
      expect((await deps().store.operations.queueFigures()).inbox).toEqual({ unfinished: 1, oldestUnfinishedAt: old, dead: 1 });
    });
  });

  describe('operations store: dead letters', () => {
    it("lists a portal's dead events and effects with their error and conversation, and retries or discards them", async () => {
      await finishEvents([anEvent(1), anEvent(2)], TEST_NOW - 2_000, true);
      const effectId = await finishEffect(TEST_NOW - 1_000, true);
      await finishEvents([anEvent(3, { portalId: 2002, dedupKey: 'other-portal' })], TEST_NOW, true);

      const dead = await deps().store.operations.listDeadLetters(PORTAL, 10);
      expect(dead.map((d) => [d.kind, d.what, d.conversation, d.lastError])).toEqual([
        ['effect', 'askAiToReply', 'thread_1', 'HubSpot said 403'],
        ['event', 'newMessage', 'thread:t2', 'HubSpot said 400'],
        ['event', 'newMessage', 'thread:t1', 'HubSpot said 400'],
      ]);

      expect(await deps().store.operations.retryDeadLetters(PORTAL, { kind: 'effect', id: effectId }, TEST_NOW)).toBe(1);
      const [again] = await deps().store.outbox.claimDue({ now: TEST_NOW, limit: 1, leaseMs: 1_000 });
      expect(again).toMatchObject({ id: effectId, attempts: 1 });

      expect(await deps().store.operations.discardDeadLetters(PORTAL, { kind: 'event', id: dead[1]!.id }, TEST_NOW)).toBe(1);
      expect(await deps().store.operations.retryDeadLetters(PORTAL, 'all', TEST_NOW)).toBe(1);
      expect((await deps().store.inbox.list()).map((e) => [e.dedupKey, e.status, e.note])).toEqual([
        ['key-1', 'pending', null],
        ['key-2', 'ignored', 'discarded by an admin'],
        ['other-portal', 'dead', null],
      ]);
      expect(await deps().store.operations.listDeadLetters(PORTAL, 10)).toEqual([]);
    });
  });
});
