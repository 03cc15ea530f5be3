// Issue 16: three server processes on one PostgreSQL database, as behind a load balancer. Signed batches go to
// random instances (some twice, to two instances at once; events shuffled inside each batch, batches in random
// order); one instance is killed with `kill -9` mid-burst, and HubSpot's redeliveries go to the survivors. Every
// acknowledged event is processed exactly once, each lane in occurredAt order, no AI reply is posted twice, the
// expired token of each portal is refreshed exactly once although all three instances need it, and no portal gets
// more HubSpot requests than its budget in any window.
import { afterAll, expect, it } from 'vitest';
import { createSilentLogger, loadConfig, openConfiguredStore } from '@opencx/server';
import { createTestDatabase } from '@opencx/server/testing/postgres';
import { createSandbox, type Sandbox } from '../sandbox/index';
import { readFactsPg, unfinishedRowsPg, withPostgres } from '../support/postgres-readonly';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { mapConcurrent, sendSigned } from '../support/signed-requests';
import {
  buildLane,
  dedupKey,
  FAST_CHILD_WORKERS,
  laneProblems,
  newWorldFiles,
  populateWorld,
  replyProblems,
  seedLaneSessions,
  unconnectedEvents,
  type Lane,
  type RawEvent,
  type World,
} from './burst-kit';

const BATCHES = 40;
const BATCH_SIZE = 50;
const EVENTS_PER_LANE = 15;
const KILL_AFTER_ACKS = 14;
/**
 * The per-portal HubSpot budget of this test, small enough that the AI replies of two portals hit it. Each grant is
 * held a little past its window (as in production, rate-limiter.ts): a request granted at a window's end reaches
 * HubSpot a moment later, and on a loaded 2-core machine running three servers and PostgreSQL that moment can
 * exceed production's 250 ms.
 */
const BUDGET = { maxRequests: 25, intervalMs: 2_000, safetyMarginMs: 750 };
/** Past every lease a killed process can leave (an AI reply being written: 120 s), as in kill-during-burst. */
const PAST_DEAD_LEASES_MS = 130_000;

let sandbox: Sandbox | undefined;
let closeSandbox: (() => Promise<void>) | undefined;
const processes: ServerProcess[] = [];

afterAll(async () => {
  for (const p of processes) await p.kill9();
  await closeSandbox?.();
  await sandbox?.close();
});

// A seeded generator, so that a failure can be replayed with the same "random" instances and orders.
let seed = 16;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const shuffle = <T>(items: readonly T[]): T[] => items.map((item) => [random(), item] as const).sort((a, b) => a[0] - b[0]).map(([, item]) => item);

type Delivery = { status: 200; stored: number } | { status: number | 'network_error' };

async function deliver(server: ServerProcess, events: RawEvent[], secret: string): Promise<Delivery> {
  try {
    const res = await sendSigned(`${server.url}/hubspot/webhooks`, { secret, signedUrl: `${server.url}/hubspot/webhooks`, body: JSON.stringify(events) });
    const json = (await res.json()) as { stored?: number };
    return res.status === 200 ? { status: 200, stored: json.stored ?? -1 } : { status: res.status };
  } catch {
    return { status: 'network_error' };
  }
}

/** The most requests of one portal that HubSpot saw inside any window of `intervalMs` (the sandbox's log). */
function busiestWindow(sandbox: Sandbox, portalId: number, intervalMs: number): number {
  const times = sandbox.state.apiRequests.filter((r) => r.portalId === portalId).map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= intervalMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const accessTokensOf = (sandbox: Sandbox, portalId: number) => Object.values(sandbox.state.accessTokens).filter((t) => t.portalId === portalId).length;

it('three instances on one PostgreSQL: exactly once, in lane order, one refresh, one budget, through a kill -9', { timeout: 150_000 }, async () => {
  sandbox = createSandbox({ seedDemoPortal: false, rateLimit: { max: BUDGET.maxRequests, intervalMs: BUDGET.intervalMs } });
  const listening = await sandbox.listen(0);
  closeSandbox = listening.close;
  const secret = sandbox.appCredentials.clientSecret;
  const files = newWorldFiles(sandbox, listening.url, undefined, await createTestDatabase());
  const world: World = await populateWorld(sandbox, files, { portals: 2, threadsPerPortal: 8, messagesPerThread: 2, firstPortalId: 720_001 });
  const portals = world.connections.map((c) => c.portalId);

  // Every portal's access token has expired (as far as the store knows) before any instance starts.
  const store = await openConfiguredStore(loadConfig(files.env), createSilentLogger());
  for (const portalId of portals) {
    const tokens = (await store.connections.getTokens(portalId))!.oauth!;
    await store.connections.updateOAuthTokens(portalId, { ...tokens, expiresAt: Date.now() - 1_000 }, Date.now());
  }
  await store.close();
  const tokensBefore = portals.map((p) => accessTokensOf(sandbox!, p));

  // Three instances start together on the empty-but-migrated database (the first one migrated it in populateWorld).
  const started = await Promise.all([0, 1, 2].map(() => startServerProcess({ env: files.env, workers: FAST_CHILD_WORKERS, hubspotRateLimit: BUDGET })));
  processes.push(...started);

  // 1. Customers write: each thread's events go to a random instance; all three need the expired tokens at once.
  const threadBatches = shuffle(world.threadEvents).reduce<RawEvent[][]>((out, e, i) => (i % 4 === 0 ? [...out, [e]] : (out.at(-1)!.push(e), out)), []);
  const threadAnswers = await mapConcurrent(threadBatches, 6, (events) => deliver(pick(started), shuffle(events), secret));
  expect(threadAnswers.filter((a) => a.status !== 200)).toEqual([]);

  // 2. The burst: ownership lanes (one lane's events all in one batch, shuffled), filler of an unconnected portal.
  const lanes: Lane[] = [];
  const batches: RawEvent[][] = [];
  const base = Date.now() - 60_000;
  for (let b = 0; b < BATCHES; b += 1) {
    const batch: RawEvent[] = [];
    for (let l = 0; l < 2; l += 1) {
      const index = 20_000 + b * 2 + l;
      const portalId = portals[index % portals.length]!;
      const lane = buildLane(sandbox, { index, portalId, agents: world.agents.get(portalId)!, events: EVENTS_PER_LANE, occurredAt: base + index * 100 });
      lanes.push(lane);
      batch.push(...lane.events);
    }
    batch.push(...unconnectedEvents(sandbox.appCredentials.appId, 799_997, BATCH_SIZE - batch.length, base + b * 100));
    batches.push(shuffle(batch));
  }
  await seedLaneSessions(world, lanes);

  const victim = started[1]!;
  const acked = new Set<number>();
  let acks = 0;
  let killing: Promise<void> | null = null;
  const order = shuffle(batches.map((_, i) => i));
  await mapConcurrent(order, 6, async (batch) => {
    const alive = started.filter((p) => !(killing && p === victim));
    const targets = random() < 0.4 ? [pick(alive), pick(alive)] : [pick(alive)]; // a redelivery racing the first
    const results = await Promise.all(targets.map((t) => deliver(t, batches[batch]!, secret)));
    if (results.some((r) => r.status === 200)) acked.add(batch);
    if (results.some((r) => r.status === 200) && ++acks === KILL_AFTER_ACKS) killing = victim.kill9();
  });
  await killing;
  expect(victim.exit()?.signal).toBe('SIGKILL');
  // The kill hit mid-work: events or write-backs were still to do.
  expect((await unfinishedRowsPg(files.env['DATABASE_URL']!)).length).toBeGreaterThan(0);
  const survivors = started.filter((p) => p !== victim);

  // 3. HubSpot redelivers what was not acknowledged (to the survivors behind the balancer), and everything once more.
  for (const round of [batches.map((_, i) => i).filter((i) => !acked.has(i)), order]) {
    const answers = await mapConcurrent(round, 6, async (batch) => ({ batch, result: await deliver(pick(survivors), batches[batch]!, secret) }));
    expect(answers.filter((a) => a.result.status !== 200)).toEqual([]);
    for (const { batch } of answers) acked.add(batch);
  }

  // 4. The survivors take the dead instance's lanes over once its leases end. An AI reply it was writing holds its
  //    lease for two minutes: once the survivors have nothing else to do, their clocks move past it.
  const url = files.env['DATABASE_URL']!;
  // Settled: the same unfinished rows in four looks 1.5 s apart, longer than the 5 s leases of the workers.
  const looks: string[] = [];
  await expect
    .poll(
      async () => {
        for (const p of survivors) if (p.exit()) throw new Error(`a survivor exited: ${JSON.stringify(p.exit())}\n${p.output()}`);
        looks.push(JSON.stringify(await unfinishedRowsPg(url)));
        return looks.length >= 4 && looks.slice(-4).every((l) => l === looks.at(-1));
      },
      { timeout: 60_000, interval: 1_500 },
    )
    .toBe(true);
  await Promise.all(survivors.map((p) => p.advanceClock(PAST_DEAD_LEASES_MS)));
  const workLeft = async () => (await unfinishedRowsPg(url)).filter((row) => !row.startsWith('reply '));
  await expect.poll(workLeft, { timeout: 40_000, interval: 200 }).toEqual([]);
  // A reply request the dead instance held (being posted, or drafted and waiting on a retry), whose conversation
  // got a newer customer message meanwhile, is not retried under its old key: the newer message's request answers
  // the customer, or hands the conversation off, instead (checked below: no reply posted twice, the latest message
  // answered). Its ledger row stays unfinished; one with no later final request would be lost work.
  const stranded = await withPostgres(url, async (c) =>
    (
      await c.query<{ request_key: string }>(`
        SELECT r.request_key FROM ai_replies r
        WHERE r.status NOT IN ('answered', 'handoff')
          AND NOT EXISTS (
            SELECT 1 FROM ai_replies later WHERE later.session_id = r.session_id AND later.status IN ('answered', 'handoff') AND later.created_at > r.created_at)`)
    ).rows,
  );
  expect(stranded).toEqual([]);
  await sandbox.idle();

  // Every event of every batch is stored once and finished; every lane applied in order, exactly once.
  const facts = await readFactsPg(url);
  expect(facts.inbox.size).toBe(BATCHES * BATCH_SIZE + world.threadEvents.length);
  for (const batch of batches) for (const e of batch) expect(facts.inbox.get(dedupKey(e))).toMatch(/^(done|ignored)$/);
  expect([...facts.inbox.values()].filter((s) => s !== 'done' && s !== 'ignored')).toEqual([]);
  expect(laneProblems(lanes, facts)).toEqual([]);
  // Each customer message answered once: no AI reply posted twice, none lost with the dead instance.
  const customerMessages = new Set(world.threadEvents.filter((e) => e.subscriptionType === 'conversation.newMessage').map((e) => String(e['messageId'])));
  expect(replyProblems(sandbox, world, facts, customerMessages)).toEqual([]);

  // One refresh per portal, although three instances found the token expired; never over the HubSpot budget.
  expect(portals.map((p) => accessTokensOf(sandbox!, p) - tokensBefore[portals.indexOf(p)]!)).toEqual(portals.map(() => 1));
  expect(sandbox.state.apiRequests.filter((r) => r.status === 429)).toEqual([]);
  for (const portalId of portals) expect(busiestWindow(sandbox, portalId, BUDGET.intervalMs), `portal ${portalId}`).toBeLessThanOrEqual(BUDGET.maxRequests);
  // The budget was actually reached (otherwise the check above proves nothing).
  expect(Math.max(...portals.map((p) => busiestWindow(sandbox!, p, BUDGET.intervalMs)))).toBeGreaterThanOrEqual(BUDGET.maxRequests - 5);

  for (const p of survivors) expect(p.output().replace(/\s*OPENCX_TEST_(READY|CLOCK) \S+\s*/g, ''), 'errors logged by a survivor').toBe('');
  await Promise.all(survivors.map((p) => p.stop()));
});
