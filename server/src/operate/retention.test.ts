import { statSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { seedSession } from '../../testing/fixtures';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';
import { pruneCutoffs, pruneFinishedRows } from './retention';

const DAY = 24 * 3_600_000;
const EVENTS_PER_ROUND = 3_000;

let deps: TestDeps;
beforeEach(async () => {
  deps = createTestDeps();
  await seedSession(deps.store);
});
afterEach(() => deps.cleanup());

const fileBytes = () => {
  const path = deps.config.databasePath;
  const wal = (() => {
    try {
      return statSync(`${path}-wal`).size;
    } catch {
      return 0;
    }
  })();
  return statSync(path).size + wal;
};

/** One round of the same load: webhook events stored and processed, and the effects they decided performed. */
async function oneRound(round: number): Promise<void> {
  const now = deps.clock.now();
  for (let start = 0; start < EVENTS_PER_ROUND; start += 100) {
    const batch = Array.from({ length: 100 }, (_, i) => {
      const n = round * EVENTS_PER_ROUND + start + i;
      return {
        dedupKey: `r${n}`, portalId: 1001, subscriptionType: 'conversation.newMessage', objectId: String(n), orderingKey: `thread:${n}`,
        occurredAt: now, eventId: n, eventKind: 'newMessage', payload: JSON.stringify({ objectId: n, padding: 'x'.repeat(400) }),
      };
    });
    await deps.store.inbox.insertBatch(batch, now);
    for (const c of await deps.store.inbox.claimDue({ now, limit: 100, leaseMs: 60_000 })) {
      await deps.store.inbox.complete(c.id, c.attempts, { status: 'done' }, now);
    }
    await deps.store.outbox.enqueue([{ sessionId: 'ses_1', portalId: 1001, effect: { type: 'askAiToReply', instruction: 'y'.repeat(200) } }], now);
    for (const e of await deps.store.outbox.claimDue({ now, limit: 1, leaseMs: 60_000 })) await deps.store.outbox.markDone(e.id, e.attempts, now);
  }
}

it('keeps action answers at least a week, whatever the retention period', () => {
  expect(pruneCutoffs(1, 10 * DAY)).toEqual({ inbox: 9 * DAY, outbox: 9 * DAY, actions: 3 * DAY });
  expect(pruneCutoffs(14, 30 * DAY)).toEqual({ inbox: 16 * DAY, outbox: 16 * DAY, actions: 16 * DAY });
});

it('keeps the SQLite file flat under a steady load once finished rows are pruned, and it grows without', async () => {
  const sizes: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    await oneRound(round);
    sizes.push(fileBytes());
    deps.clock.advance(15 * DAY);
    const deleted = await pruneFinishedRows(deps, { batchSize: 500 });
    expect(deleted.inbox).toBe(EVENTS_PER_ROUND);
    expect(deleted.outbox).toBe(EVENTS_PER_ROUND / 100);
  }
  expect(await deps.store.inbox.countByStatus()).toMatchObject({ done: 0, pending: 0 });
  // After one round and after three rounds of the same load: the same file, within 10 %.
  expect(sizes[2]! / sizes[0]!).toBeLessThan(1.1);

  // The control: the same load twice more without pruning takes new pages.
  await oneRound(3);
  await oneRound(4);
  expect(fileBytes() / sizes[2]!).toBeGreaterThan(1.2);
});
