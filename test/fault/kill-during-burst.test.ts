// Issue 9, fault 1: `kill -9` of the server during a 10,000-event burst. A real server process takes signed
// webhook batches (100 events each, 8 at a time) and is killed with SIGKILL once 35 have been acknowledged —
// mid-intake and mid-processing, with claims, AI replies and effects in flight. A new process on the same file
// then finishes the job. Every acknowledged event must be processed exactly once, and an unacknowledged one either
// fully processed or absent; HubSpot's redelivery of the unacknowledged batches then completes the picture.
import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../sandbox/index';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { mapConcurrent, sendSigned } from '../support/signed-requests';
import { integrityCheck, unfinishedWork, withReadOnlyDb } from '../support/sqlite-readonly';
import {
  buildLane,
  buildWorld,
  dedupKey,
  FAST_CHILD_WORKERS,
  laneProblems,
  readFacts,
  replyProblems,
  seedLaneSessions,
  unconnectedEvents,
  type Lane,
  type RawEvent,
  type World,
} from './burst-kit';

const BATCHES = 100;
const BATCH_SIZE = 100;
const LANES_PER_BATCH = 2;
const EVENTS_PER_LANE = 19;
const CONCURRENCY = 8;
const KILL_AFTER_ACKS = 35;
const UNCONNECTED_PORTAL = 799_999;
/**
 * The restarted process runs its clock this far ahead: the wait, in production, until the leases the killed
 * process held run out (webhook claims taken during a request: 60 s; an AI reply being written: 120 s). Under
 * the 5-minute signature window, so HubSpot's signatures stay valid.
 */
const RESTART_CLOCK_OFFSET_MS = 130_000;

let sandbox: Sandbox | undefined;
let closeSandbox: (() => Promise<void>) | undefined;
const processes: ServerProcess[] = [];
let world: World | undefined;

afterAll(async () => {
  for (const p of processes) await p.kill9();
  await closeSandbox?.();
  await sandbox?.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
});

type Outcome = { batch: number; status: number | 'network_error' | 'not_sent'; stored?: number };

async function deliver(server: ServerProcess, events: RawEvent[], secret: string): Promise<Outcome['status'] | { status: 200; stored: number }> {
  const body = JSON.stringify(events);
  try {
    const res = await sendSigned(`${server.url}/hubspot/webhooks`, { secret, signedUrl: `${server.url}/hubspot/webhooks`, body });
    const json = (await res.json()) as { stored?: number };
    return res.status === 200 ? { status: 200, stored: json.stored ?? -1 } : res.status;
  } catch {
    return 'network_error';
  }
}

async function waitForDrain(path: string, server: ServerProcess, timeoutMs: number): Promise<void> {
  await expect
    .poll(
      () => {
        if (server.exit()) throw new Error(`the server process exited: ${JSON.stringify(server.exit())}\n${server.output()}`);
        return withReadOnlyDb(path, (db) => {
          const work = unfinishedWork(db);
          return work.inbox + work.effects + readFacts(db).unfinishedReplies;
        });
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .toBe(0);
}

it('processes every acknowledged event exactly once after a kill -9 mid-burst, and half-applies none', { timeout: 90_000 }, async () => {
  sandbox = createSandbox({ seedDemoPortal: false, rateLimit: { max: 100_000, intervalMs: 10_000 } });
  const listening = await sandbox.listen(0);
  closeSandbox = listening.close;
  const secret = sandbox.appCredentials.clientSecret;
  world = await buildWorld(sandbox, listening.url, { portals: 8, threadsPerPortal: 4, messagesPerThread: 3, firstPortalId: 700_001 });
  const w = world;

  // 10,000 events: per batch two ownership lanes (19 changes each, processed with DB writes and no HubSpot call),
  // one or two events of real sandbox threads (fetched from HubSpot and answered by the AI), and filler events of
  // an unconnected portal (recorded and ignored).
  const lanes: Lane[] = [];
  const batches: RawEvent[][] = [];
  const base = Date.now() - 60_000;
  for (let b = 0; b < BATCHES; b += 1) {
    const batch: RawEvent[] = [];
    for (let l = 0; l < LANES_PER_BATCH; l += 1) {
      const index = b * LANES_PER_BATCH + l;
      const connection = w.connections[index % w.connections.length]!;
      const lane = buildLane(sandbox, { index, portalId: connection.portalId, agents: w.agents.get(connection.portalId)!, events: EVENTS_PER_LANE, occurredAt: base + index * 100 });
      lanes.push(lane);
      batch.push(...lane.events);
    }
    for (let t = b; t < w.threadEvents.length; t += BATCHES) batch.push({ ...w.threadEvents[t]! });
    batch.push(...unconnectedEvents(sandbox.appCredentials.appId, UNCONNECTED_PORTAL, BATCH_SIZE - batch.length, base + b * 100));
    batches.push(batch);
  }
  expect(batches.flat()).toHaveLength(BATCHES * BATCH_SIZE);
  expect(new Set(batches.flat().map(dedupKey)).size).toBe(BATCHES * BATCH_SIZE);
  await seedLaneSessions(w, lanes);

  // 1. The burst, and the kill.
  const first = await startServerProcess({ env: w.env, workers: FAST_CHILD_WORKERS });
  processes.push(first);
  const outcomes: Outcome[] = batches.map((_, batch) => ({ batch, status: 'not_sent' }));
  let acks = 0;
  let killing: Promise<void> | null = null;
  await mapConcurrent(batches, CONCURRENCY, async (events, batch) => {
    if (killing) return;
    const result = await deliver(first, events, secret);
    outcomes[batch] = typeof result === 'object' ? { batch, status: 200, stored: result.stored } : { batch, status: result };
    if (result !== 'network_error' && typeof result === 'object' && ++acks >= KILL_AFTER_ACKS) killing ??= first.kill9();
  });
  await killing;
  expect(first.exit()?.signal).toBe('SIGKILL');

  const acked = outcomes.filter((o) => o.status === 200).map((o) => o.batch);
  const unacked = outcomes.filter((o) => o.status !== 200).map((o) => o.batch);
  // Before the kill every answer was a 200 (nothing refused, nothing failed); after it, connections fail.
  expect(outcomes.filter((o) => typeof o.status === 'number' && o.status !== 200)).toEqual([]);
  expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
  expect(unacked.length).toBeGreaterThan(0);
  // The kill hit mid-processing: acknowledged events and their write-backs were still to do.
  const atKill = withReadOnlyDb(w.databasePath, (db) => unfinishedWork(db));
  expect(atKill.inbox + atKill.effects).toBeGreaterThan(0);

  // 2. A new process on the same file, after the dead one's leases ran out.
  const second = await startServerProcess({ env: w.env, workers: FAST_CHILD_WORKERS, clockOffsetMs: RESTART_CLOCK_OFFSET_MS });
  processes.push(second);
  await waitForDrain(w.databasePath, second, 40_000);

  const storedKeys = () => withReadOnlyDb(w.databasePath, readFacts);
  let facts = storedKeys();
  // Every acknowledged event is in the inbox, finished (none dead, none left behind).
  for (const batch of acked) for (const e of batches[batch]!) expect(facts.inbox.get(dedupKey(e)), `batch ${batch}`).toMatch(/^(done|ignored)$/);
  expect([...facts.inbox.values()].filter((s) => s !== 'done' && s !== 'ignored')).toEqual([]);
  // An unacknowledged batch is all in (committed just before the kill, then processed) or not at all.
  for (const batch of unacked) {
    const present = batches[batch]!.filter((e) => facts.inbox.has(dedupKey(e))).length;
    expect([0, BATCH_SIZE], `batch ${batch}: ${present} of its events stored`).toContain(present);
  }
  expect(facts.inbox.size % BATCH_SIZE).toBe(0);
  const storedMessages = () =>
    new Set(w.threadEvents.filter((e) => e.subscriptionType === 'conversation.newMessage' && facts.inbox.has(dedupKey(e))).map((e) => String(e['messageId'])));
  expect(laneProblems(lanes, facts)).toEqual([]);
  expect(replyProblems(sandbox, w, facts, storedMessages())).toEqual([]);

  // 3. HubSpot redelivers what was not acknowledged (and, for good measure, everything else once more).
  const redelivered = await mapConcurrent(batches, CONCURRENCY, async (events, batch) => ({ batch, result: await deliver(second, events, secret) }));
  expect(redelivered.filter((r) => typeof r.result !== 'object')).toEqual([]);
  for (const { batch, result } of redelivered) {
    if (acked.includes(batch)) expect(result, `batch ${batch} was stored already`).toEqual({ status: 200, stored: 0 });
  }
  await waitForDrain(w.databasePath, second, 40_000);
  facts = storedKeys();
  expect(facts.inbox.size).toBe(BATCHES * BATCH_SIZE);
  expect([...facts.inbox.values()].filter((s) => s !== 'done' && s !== 'ignored')).toEqual([]);
  expect(laneProblems(lanes, facts)).toEqual([]);
  expect(replyProblems(sandbox, w, facts, storedMessages())).toEqual([]);
  expect(second.exit()).toBeNull();
  expect(second.output().replace(/\s*OPENCX_TEST_READY \S+\s*/, ''), 'errors logged by the restarted server').toBe('');
  await second.stop();
  expect(integrityCheck(w.databasePath)).toBe('ok');
});
