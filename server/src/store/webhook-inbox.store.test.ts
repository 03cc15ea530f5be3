import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../logger';
import { anOrganization } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { openConfiguredStore } from './open-store';
import type { NewInboxEvent } from './webhook-inbox.store';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
  });
  afterEach(() => deps.cleanup());

  const LEASE = 60_000;
  let seq = 0;
  const event = (overrides: Partial<NewInboxEvent> = {}): NewInboxEvent => {
    seq += 1;
    return {
      dedupKey: `k${seq}`,
      portalId: 1,
      subscriptionType: 'conversation.newMessage',
      objectId: '7',
      orderingKey: 'thread:1:7',
      occurredAt: TEST_NOW,
      eventId: seq,
      eventKind: 'threadNewMessage',
      payload: JSON.stringify({ n: seq }),
      ...overrides,
    };
  };
  const claim = (now = TEST_NOW, extra: { orderingKeys?: string[]; limit?: number } = {}) =>
    deps.store.inbox.claimDue({ now, limit: extra.limit ?? 10, leaseMs: LEASE, ...(extra.orderingKeys ? { orderingKeys: extra.orderingKeys } : {}) });

  describe('webhook inbox', () => {
    it('stores a batch in one statement and skips events already stored, also within the batch', async () => {
      const a = event();
      expect(await deps.store.inbox.insertBatch([a, event(), { ...a }], TEST_NOW)).toBe(2);
      expect(await deps.store.inbox.insertBatch([a], TEST_NOW)).toBe(0);
      expect(await deps.store.inbox.countByStatus()).toMatchObject({ pending: 2 });
    });

    it('hands out only the head of each lane, in occurredAt then eventId order, and the next one once it is done', async () => {
      const late = event({ occurredAt: TEST_NOW + 10, eventId: 1 });
      const early = event({ occurredAt: TEST_NOW, eventId: 9 });
      const sameMsLater = event({ occurredAt: TEST_NOW, eventId: 10 });
      const otherLane = event({ orderingKey: 'ticket:1:5' });
      await deps.store.inbox.insertBatch([late, sameMsLater, early, otherLane], TEST_NOW);

      const first = await claim();
      expect(first.map((c) => c.dedupKey).sort()).toEqual([early.dedupKey, otherLane.dedupKey].sort());
      expect(first[0]).toMatchObject({ attempts: 1, leaseUntil: TEST_NOW + LEASE });
      expect(await claim()).toEqual([]);

      const head = first.find((c) => c.dedupKey === early.dedupKey)!;
      expect(await deps.store.inbox.complete(head.id, head.attempts, { status: 'done', note: 'ok' }, TEST_NOW)).toBe(true);
      expect((await claim()).map((c) => c.dedupKey)).toEqual([sameMsLater.dedupKey]);
    });

    it('does not hand out an earlier event that arrived late while a later one of its lane is being processed', async () => {
      const later = event({ occurredAt: TEST_NOW + 5 });
      await deps.store.inbox.insertBatch([later], TEST_NOW);
      const [claimed] = await claim();
      await deps.store.inbox.insertBatch([event({ occurredAt: TEST_NOW })], TEST_NOW);
      expect(await claim()).toEqual([]);
      await deps.store.inbox.complete(claimed!.id, claimed!.attempts, { status: 'done' }, TEST_NOW);
      expect(await claim()).toHaveLength(1);
    });

    it("lets another worker take over a dead worker's claim after the lease, and refuses the old claim's completion", async () => {
      await deps.store.inbox.insertBatch([event()], TEST_NOW);
      const [old] = await claim();
      expect(await claim(TEST_NOW + LEASE - 1)).toEqual([]);
      const [taken] = await claim(TEST_NOW + LEASE);
      expect(taken).toMatchObject({ id: old!.id, attempts: 2 });
      expect(await deps.store.inbox.complete(old!.id, old!.attempts, { status: 'done' }, TEST_NOW)).toBe(false);
      expect(await deps.store.inbox.fail(old!.id, old!.attempts, 'late', null, TEST_NOW)).toBe(false);
      expect(await deps.store.inbox.complete(taken!.id, taken!.attempts, { status: 'done' }, TEST_NOW)).toBe(true);
    });

    it("takes back a dead worker's claim before new events, even when new events alone would fill the limit", async () => {
      await deps.store.inbox.insertBatch([event({ orderingKey: 'thread:1:crashed' })], TEST_NOW);
      const [orphan] = await claim(TEST_NOW, { limit: 1 });
      const flood = Array.from({ length: 5 }, (_, i) => event({ orderingKey: `thread:1:new-${i}` }));
      await deps.store.inbox.insertBatch(flood, TEST_NOW + 1);

      const next = await claim(TEST_NOW + LEASE, { limit: 2 });
      expect(next.map((c) => c.id)).toContain(orphan!.id);
      expect(next).toHaveLength(2);
    });

    it('hands out new events in arrival order across lanes once the backlog is larger than one claim', async () => {
      const backlog = Array.from({ length: 30 }, (_, i) => event({ orderingKey: `thread:1:${i}`, occurredAt: TEST_NOW - i }));
      await deps.store.inbox.insertBatch(backlog.slice(0, 10), TEST_NOW);
      await deps.store.inbox.insertBatch(backlog.slice(10), TEST_NOW + 1);
      const first = await claim(TEST_NOW + 1, { limit: 10 });
      expect(first.map((c) => c.dedupKey).sort()).toEqual(backlog.slice(0, 10).map((e) => e.dedupKey).sort());
    });

    it('ignores the events of unconnected portals, looking at each stored event once', async () => {
      await deps.store.organizations.create(anOrganization({ id: 'org_1' }));
      await deps.store.connections.savePrivateAppConnection(
        { organizationId: 'org_1', portalId: 1, connectedBy: { hubspotUserId: 1, email: 'a@acme.test' }, scopes: [], hubDomain: null, token: 'pat-1' },
        TEST_NOW,
      );
      const connected = event({ portalId: 1 });
      await deps.store.inbox.insertBatch([connected, event({ portalId: 2 }), event({ portalId: 3 })], TEST_NOW);

      const first = await deps.store.inbox.ignoreUnconnectedPortals(TEST_NOW, 0);
      expect(first.ignored).toBe(2);
      expect(await deps.store.inbox.countByStatus()).toMatchObject({ pending: 1, ignored: 2 });
      expect(await deps.store.inbox.ignoreUnconnectedPortals(TEST_NOW, first.scannedUpTo)).toEqual({ ignored: 0, scannedUpTo: first.scannedUpTo });

      await deps.store.inbox.insertBatch([event({ portalId: 2 })], TEST_NOW);
      const second = await deps.store.inbox.ignoreUnconnectedPortals(TEST_NOW, first.scannedUpTo);
      expect(second).toEqual({ ignored: 1, scannedUpTo: first.scannedUpTo + 1 });
      expect((await deps.store.inbox.list({ status: 'pending' })).map((r) => r.dedupKey)).toEqual([connected.dedupKey]);
      expect((await deps.store.inbox.list({ status: 'ignored' }))[0]).toMatchObject({ note: 'portal 2 is not connected' });
    });

    it('schedules a retry (blocking its lane until then) or dead-letters with the last error', async () => {
      const first = event();
      const second = event({ occurredAt: TEST_NOW + 1 });
      await deps.store.inbox.insertBatch([first, second], TEST_NOW);
      const [c1] = await claim();
      await deps.store.inbox.fail(c1!.id, c1!.attempts, 'HubSpot 503', TEST_NOW + 1_000, TEST_NOW);
      expect(await claim(TEST_NOW + 999)).toEqual([]);
      const [c2] = await claim(TEST_NOW + 1_000);
      expect(c2).toMatchObject({ id: c1!.id, attempts: 2 });
      await deps.store.inbox.fail(c2!.id, c2!.attempts, 'HubSpot 400', null, TEST_NOW + 1_000);
      expect(await deps.store.inbox.list({ status: 'dead' })).toEqual([expect.objectContaining({ lastError: 'HubSpot 400', attempts: 2 })]);
      expect((await claim(TEST_NOW + 1_000)).map((c) => c.dedupKey)).toEqual([second.dedupKey]);
    });

    it('claims only the lanes asked for', async () => {
      await deps.store.inbox.insertBatch([event(), event({ orderingKey: 'ticket:1:5' })], TEST_NOW);
      expect((await claim(TEST_NOW, { orderingKeys: ['ticket:1:5'] })).map((c) => c.orderingKey)).toEqual(['ticket:1:5']);
      expect(await claim(TEST_NOW, { orderingKeys: [] })).toEqual([]);
    });

    it('knows when an ownership change was superseded by a later one already applied', async () => {
      const kind = { eventKind: 'ticketOwnerChanged', orderingKey: 'ticket:1:5' };
      const later = event({ ...kind, occurredAt: TEST_NOW + 10 });
      await deps.store.inbox.insertBatch([later], TEST_NOW);
      const [c] = await claim();
      const late = { ...kind, occurredAt: TEST_NOW, eventId: 1 };
      expect(await deps.store.inbox.isSuperseded(late)).toBe(false);
      await deps.store.inbox.complete(c!.id, c!.attempts, { status: 'done' }, TEST_NOW);
      expect(await deps.store.inbox.isSuperseded(late)).toBe(true);
      expect(await deps.store.inbox.isSuperseded({ ...late, occurredAt: TEST_NOW + 11 })).toBe(false);
      expect(await deps.store.inbox.isSuperseded({ ...late, eventKind: 'threadAssigneeChanged' })).toBe(false);
    });

    it('never hands one event to two processes claiming at the same time', async () => {
      const other = await openConfiguredStore(deps.config, createSilentLogger());
      try {
        const lanes = Array.from({ length: 40 }, (_, i) => `thread:1:${i}`);
        const events = lanes.flatMap((lane) => [0, 1, 2].map((n) => event({ orderingKey: lane, occurredAt: TEST_NOW + n })));
        await deps.store.inbox.insertBatch(events, TEST_NOW);
        const seen: number[] = [];
        const worker = async (store: typeof deps.store) => {
          for (;;) {
            const claimed = await store.inbox.claimDue({ now: TEST_NOW, limit: 3, leaseMs: LEASE });
            if (claimed.length === 0 && (await store.inbox.countByStatus()).pending === 0) return;
            for (const c of claimed) {
              seen.push(c.id);
              await store.inbox.complete(c.id, c.attempts, { status: 'done' }, TEST_NOW);
            }
          }
        };
        await Promise.all([worker(deps.store), worker(other), worker(deps.store), worker(other)]);
        expect(seen).toHaveLength(events.length);
        expect(new Set(seen).size).toBe(events.length);
      } finally {
        await other.close();
      }
    });
  });
});
