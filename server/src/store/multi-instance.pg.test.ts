// Several server instances on one PostgreSQL database, as several stores in one test process (each its own pool,
// as each instance has): the claims, the shared HubSpot budget and the wake-ups between instances.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../hubspot/shared-rate-limiter';
import { createSilentLogger } from '../logger';
import { createEngineTestDeps, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { openConfiguredStore } from './open-store';
import type { ClosableStore, WakeQueue } from './store';
import type { NewInboxEvent } from './webhook-inbox.store';

let deps: EngineTestDeps;
let others: ClosableStore[];
beforeEach(async () => {
  deps = await createEngineTestDeps('postgres');
  others = await Promise.all([1, 2].map(() => openConfiguredStore(deps.config, createSilentLogger(), TEST_NOW)));
});
afterEach(async () => {
  await Promise.all(others.map((s) => s.close()));
  await deps.cleanup();
});
const instances = () => [deps.store, ...others];

const event = (lane: number, n: number): NewInboxEvent => ({
  dedupKey: `l${lane}-e${n}`,
  portalId: 1,
  subscriptionType: 'conversation.propertyChange',
  objectId: String(lane),
  orderingKey: `thread:1:${lane}`,
  occurredAt: TEST_NOW + n,
  eventId: n,
  eventKind: 'threadAssigneeChanged',
  payload: '{}',
});

describe('claims across instances', () => {
  it('process every event once, one event of a lane at a time, each lane in occurredAt order', async () => {
    const LANES = 12;
    const PER_LANE = 8;
    const all = Array.from({ length: LANES }, (_, lane) => Array.from({ length: PER_LANE }, (_, n) => event(lane, n))).flat();
    // Stored out of order, in several batches through different instances.
    const shuffled = [...all].sort((a, b) => ((a.eventId * 7 + Number(a.objectId)) % 5) - ((b.eventId * 7 + Number(b.objectId)) % 5));
    for (let i = 0; i < shuffled.length; i += 10) await instances()[(i / 10) % 3]!.inbox.insertBatch(shuffled.slice(i, i + 10), TEST_NOW);

    const inFlight = new Set<string>();
    const order = new Map<string, number[]>();
    const overlaps: string[] = [];
    const worker = async (store: ClosableStore) => {
      for (let idle = 0; idle < 5; ) {
        const claimed = await store.inbox.claimDue({ now: TEST_NOW, limit: 4, leaseMs: 60_000 });
        idle = claimed.length === 0 ? idle + 1 : 0;
        await Promise.all(
          claimed.map(async (c) => {
            if (inFlight.has(c.orderingKey)) overlaps.push(c.orderingKey);
            inFlight.add(c.orderingKey);
            order.set(c.orderingKey, [...(order.get(c.orderingKey) ?? []), c.occurredAt - TEST_NOW]);
            await new Promise((resolve) => setTimeout(resolve, 1));
            inFlight.delete(c.orderingKey);
            expect(await store.inbox.complete(c.id, c.attempts, { status: 'done' }, TEST_NOW)).toBe(true);
          }),
        );
        if (claimed.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await Promise.all(instances().flatMap((s) => [worker(s), worker(s)]));

    expect(overlaps).toEqual([]);
    expect(await deps.store.inbox.countByStatus()).toMatchObject({ done: LANES * PER_LANE, pending: 0, processing: 0 });
    const inOrder = Array.from({ length: PER_LANE }, (_, n) => n);
    for (let lane = 0; lane < LANES; lane += 1) expect(order.get(`thread:1:${lane}`), `lane ${lane}`).toEqual(inOrder);
  });

  it('hand a dead instance\'s event to another once its lease ends, and fence the dead one\'s late completion', async () => {
    const [a, b] = others as [ClosableStore, ClosableStore];
    await a.inbox.insertBatch([event(1, 0), event(1, 1)], TEST_NOW);
    const [first] = await a.inbox.claimDue({ now: TEST_NOW, limit: 5, leaseMs: 1000 });
    expect(first?.occurredAt).toBe(TEST_NOW);
    expect(await b.inbox.claimDue({ now: TEST_NOW + 999, limit: 5, leaseMs: 1000 })).toEqual([]);
    const [again] = await b.inbox.claimDue({ now: TEST_NOW + 1000, limit: 5, leaseMs: 1000 });
    expect(again).toMatchObject({ id: first!.id, attempts: 2 });
    expect(await a.inbox.complete(first!.id, first!.attempts, { status: 'done' }, TEST_NOW)).toBe(false);
    expect(await b.inbox.complete(again!.id, again!.attempts, { status: 'done' }, TEST_NOW)).toBe(true);
  });
});

describe('the shared HubSpot budget', () => {
  it('grants no more than the budget in any window, counted over all instances together', async () => {
    const budget = { maxRequests: 5, intervalMs: 400, safetyMarginMs: 0 };
    const limiters = instances().map((s) => createSharedRateLimiter(s.hubspotBudget!, 'api', budget));
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 18 }, async (_, i) => {
        const result = await limiters[i % 3]!.acquire('portal:1', 10_000);
        expect(result.granted).toBe(true);
        grants.push(Date.now());
      }),
    );
    grants.sort((x, y) => x - y);
    // Grants are recorded before they return, so a few ms of slack separate the two clocks.
    for (let i = budget.maxRequests; i < grants.length; i += 1) expect(grants[i]! - grants[i - budget.maxRequests]!).toBeGreaterThanOrEqual(budget.intervalMs - 20);
    // Another key has its own budget.
    expect(await limiters[0]!.acquire('portal:2', 0)).toMatchObject({ granted: true });
  });

  it('holds every instance after one of them was told to slow down (429)', async () => {
    const [a, b] = instances().map((s) => createSharedRateLimiter(s.hubspotBudget!, 'api', { maxRequests: 100, intervalMs: 1000 })) as [
      ReturnType<typeof createSharedRateLimiter>,
      ReturnType<typeof createSharedRateLimiter>,
    ];
    a.pauseUntil('portal:1', Date.now() + 2_000);
    await expect.poll(() => b.acquire('portal:1', 0)).toMatchObject({ granted: false });
    const refused = await b.acquire('portal:1', 0);
    expect(refused.granted ? 0 : refused.retryAfterMs).toBeGreaterThan(1_000);
  });
});

describe('wake-ups between instances', () => {
  it('tell every instance that events or effects were stored, through LISTEN/NOTIFY', async () => {
    const heard: WakeQueue[] = [];
    const unsubscribe = others[0]!.onWake!((queue) => heard.push(queue));
    try {
      // The listener connects in the background; store until it hears.
      let n = 0;
      await expect.poll(async () => {
        await deps.store.inbox.insertBatch([event(99, n++)], TEST_NOW);
        return heard.includes('inbox');
      }).toBe(true);
      await deps.store.organizations.create({ id: 'o', name: 'O', oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: TEST_NOW });
      await deps.store.sessions.create({ id: 's', organizationId: 'o', portalId: 1, threadId: 't', contactId: null, channel: 'chat', status: 'open', createdAt: TEST_NOW, updatedAt: TEST_NOW });
      await deps.store.outbox.enqueue([{ sessionId: 's', portalId: 1, effect: { type: 'assignTicketOwner', ownerId: '7' } }], TEST_NOW);
      await expect.poll(() => heard.includes('effects')).toBe(true);
    } finally {
      unsubscribe();
    }
  });
});
