import type { AiEffect } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aSession, seedSession } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retry-policy';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await seedSession(deps.store);
    await deps.store.sessions.create(aSession({ id: 'ses_2', threadId: 'thread_2' }));
  });
  afterEach(() => deps.cleanup());

  const paused: AiEffect = { type: 'setTicketAiStatus', status: 'paused' };
  const active: AiEffect = { type: 'setTicketAiStatus', status: 'active' };
  const ask: AiEffect = { type: 'askAiToReply', instruction: null };
  const LEASE = 60_000;

  describe('effects outbox', () => {
    it('hands out one effect per session at a time, oldest first, so a session never runs out of order', async () => {
      const outbox = deps.store.outbox;
      await outbox.enqueue(
        [
          { sessionId: 'ses_1', portalId: 1001, effect: paused },
          { sessionId: 'ses_1', portalId: 1001, effect: active },
          { sessionId: 'ses_2', portalId: 1001, effect: ask },
        ],
        TEST_NOW,
      );

      const first = await outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      expect(first.map((c) => [c.sessionId, c.effect])).toEqual([
        ['ses_1', paused],
        ['ses_2', ask],
      ]);
      expect(first[0]).toMatchObject({ attempts: 1, leaseUntil: TEST_NOW + LEASE, portalId: 1001 });
      // While ses_1's first effect is leased, its second waits.
      expect(await outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE })).toEqual([]);

      expect(await outbox.markDone(first[0]!.id, first[0]!.attempts, TEST_NOW)).toBe(true);
      const second = await outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      expect(second.map((c) => c.effect)).toEqual([active]);
    });

    it('respects the limit', async () => {
      await deps.store.outbox.enqueue(
        [
          { sessionId: 'ses_1', portalId: 1001, effect: paused },
          { sessionId: 'ses_2', portalId: 1001, effect: ask },
        ],
        TEST_NOW,
      );
      expect(await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 1, leaseMs: LEASE })).toHaveLength(1);
    });

    it('takes back an effect whose worker died once its lease expires', async () => {
      await deps.store.outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: paused }], TEST_NOW);
      const [claimed] = await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      expect(await deps.store.outbox.claimDue({ now: TEST_NOW + LEASE - 1, limit: 10, leaseMs: LEASE })).toEqual([]);
      const [reclaimed] = await deps.store.outbox.claimDue({ now: TEST_NOW + LEASE, limit: 10, leaseMs: LEASE });
      expect(reclaimed).toMatchObject({ id: claimed!.id, attempts: 2 });
    });

    it("takes back a dead worker's effect before new ones, even when new ones alone would fill the limit", async () => {
      await deps.store.outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: paused }], TEST_NOW);
      const [orphan] = await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      await deps.store.outbox.enqueue([{ sessionId: 'ses_2', portalId: 1001, effect: ask }], TEST_NOW + 1);

      const [next] = await deps.store.outbox.claimDue({ now: TEST_NOW + LEASE, limit: 1, leaseMs: LEASE });
      expect(next).toMatchObject({ id: orphan!.id, attempts: 2 });
    });

    it('claims past a long finished history of the same session', async () => {
      const history = Array.from({ length: 500 }, () => ({ sessionId: 'ses_1', portalId: 1001, effect: paused }));
      await deps.store.outbox.enqueue(history, TEST_NOW);
      for (;;) {
        const claimed = await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 50, leaseMs: LEASE });
        if (claimed.length === 0) break;
        for (const c of claimed) await deps.store.outbox.markDone(c.id, c.attempts, TEST_NOW);
      }
      await deps.store.outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: active }], TEST_NOW);
      const [latest] = await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 50, leaseMs: LEASE });
      expect(latest).toMatchObject({ sessionId: 'ses_1', effect: active, attempts: 1 });
    });

    it("refuses the outcome of a worker whose lease expired once another worker has claimed the effect", async () => {
      const outbox = deps.store.outbox;
      await outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: paused }], TEST_NOW);
      const [stale] = await outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      const [current] = await outbox.claimDue({ now: TEST_NOW + LEASE, limit: 10, leaseMs: LEASE });
      expect(current).toMatchObject({ id: stale!.id, attempts: 2 });

      expect(await outbox.markFailed(stale!.id, stale!.attempts, 'HubSpot 503', TEST_NOW + LEASE + 1, TEST_NOW + LEASE)).toBe('lost');
      expect(await outbox.markDone(stale!.id, stale!.attempts, TEST_NOW + LEASE)).toBe(false);
      expect(await outbox.markDone(current!.id, current!.attempts, TEST_NOW + LEASE)).toBe(true);
      // The newer claim's outcome stands: the stale worker's failure did not put the effect back.
      expect(await outbox.markFailed(stale!.id, stale!.attempts, 'HubSpot 503', TEST_NOW + LEASE + 1, TEST_NOW + LEASE)).toBe('lost');
      expect(await outbox.countUnfinished()).toEqual({});
    });

    it('retries a failure with backoff, blocking the session meanwhile, and gives up as dead', async () => {
      const outbox = deps.store.outbox;
      await outbox.enqueue(
        [
          { sessionId: 'ses_1', portalId: 1001, effect: paused },
          { sessionId: 'ses_1', portalId: 1001, effect: active },
        ],
        TEST_NOW,
      );
      let now = TEST_NOW;
      let [claimed] = await outbox.claimDue({ now, limit: 10, leaseMs: LEASE });
      expect(await outbox.markFailed(claimed!.id, 1, 'HubSpot 503', nextAttemptAt(1, now), now)).toBe('retrying');

      const retryAt = nextAttemptAt(1, now)!;
      expect(await outbox.claimDue({ now: retryAt - 1, limit: 10, leaseMs: LEASE })).toEqual([]);

      for (let attempt = 2; attempt <= DEFAULT_RETRY_POLICY.maxAttempts; attempt += 1) {
        now += DEFAULT_RETRY_POLICY.maxDelayMs;
        [claimed] = await outbox.claimDue({ now, limit: 10, leaseMs: LEASE });
        expect(claimed).toMatchObject({ effect: paused, attempts: attempt });
        const outcome = await outbox.markFailed(claimed!.id, attempt, `HubSpot 503 (${attempt})`, nextAttemptAt(attempt, now), now);
        expect(outcome).toBe(attempt === DEFAULT_RETRY_POLICY.maxAttempts ? 'dead' : 'retrying');
      }
      // A dead effect no longer blocks the session.
      const [next] = await outbox.claimDue({ now, limit: 10, leaseMs: LEASE });
      expect(next?.effect).toEqual(active);
    });

    it('marks an unfixable failure dead at once; a late markDone after losing the lease reports false', async () => {
      await deps.store.outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: paused }], TEST_NOW);
      const [claimed] = await deps.store.outbox.claimDue({ now: TEST_NOW, limit: 10, leaseMs: LEASE });
      expect(await deps.store.outbox.markFailed(claimed!.id, 1, 'HubSpot 400: property does not exist', null, TEST_NOW)).toBe('dead');
      expect(await deps.store.outbox.markDone(claimed!.id, 1, TEST_NOW)).toBe(false);
      expect(await deps.store.outbox.claimDue({ now: TEST_NOW + 10 * LEASE, limit: 10, leaseMs: LEASE })).toEqual([]);
    });
  });

  describe('nextAttemptAt', () => {
    it.each([
      [1, 15_000],
      [2, 30_000],
      [3, 60_000],
      [9, 3_600_000],
      [11, 3_600_000],
    ])('after failure %i waits %i ms', (attempts, delay) => {
      expect(nextAttemptAt(attempts, 0)).toBe(delay);
    });

    it('gives up at maxAttempts', () => {
      expect(nextAttemptAt(DEFAULT_RETRY_POLICY.maxAttempts, 0)).toBeNull();
    });
  });
});
