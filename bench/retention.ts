// `npm run bench` (third part): does the SQLite file stop growing under a steady load once finished rows are pruned?
// The same load three times (webhook events stored, processed and finished; the effects they decided performed), the
// real store and the real retention (server/src/operate/retention.ts) on a temporary file, its clock moved past the
// retention period between rounds as days of traffic would. File sizes do not depend on CPU speed, so the figures
// hold on a busy machine too. Writes bench/results/retention.{json,md}.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger, loadConfig, openConfiguredStore, type ClosableStore } from '@opencx/server';
import { pruneFinishedRows } from '@opencx/server/operate/retention';
import { BENCH_DIR } from './lib/processes';

const quick = process.env['BENCH_QUICK'] === '1';
const EVENTS_PER_ROUND = quick ? 5_000 : 50_000;
const ROUNDS = 3;
const DAY_MS = 24 * 3_600_000;
const TARGET_GROWTH = 1.1; // after three rounds, at most 10 % bigger than after one

const log = (line: string) => process.stderr.write(`[retention] ${line}\n`);
const size = (path: string) => {
  const of = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return of(path) + of(`${path}-wal`);
};

async function seed(store: ClosableStore, now: number): Promise<void> {
  await store.organizations.create({ id: 'org_bench', name: 'Bench', oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: now });
  await store.sessions.create({
    id: 'ses_bench', organizationId: 'org_bench', portalId: 1001, threadId: 't0', contactId: '101', channel: 'chat', status: 'open', createdAt: now, updatedAt: now,
  });
}

/** One round: events as intake stores them (a realistic payload), claimed and finished; one effect per 100 events. */
async function oneRound(store: ClosableStore, round: number, now: number): Promise<void> {
  for (let start = 0; start < EVENTS_PER_ROUND; start += 100) {
    const batch = Array.from({ length: 100 }, (_, i) => {
      const n = round * EVENTS_PER_ROUND + start + i;
      const payload = { eventId: n, subscriptionId: 1, portalId: 1001, appId: 1, occurredAt: now, subscriptionType: 'conversation.newMessage', attemptNumber: 0, objectId: n, messageId: `m${n}`, messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE' };
      return {
        dedupKey: `conversation.newMessage:${n}`, portalId: 1001, subscriptionType: 'conversation.newMessage', objectId: String(n),
        orderingKey: `thread:1001:${n}`, occurredAt: now, eventId: n, eventKind: 'newMessage', payload: JSON.stringify(payload),
      };
    });
    await store.inbox.insertBatch(batch, now);
    for (const c of await store.inbox.claimDue({ now, limit: 100, leaseMs: 60_000 })) await store.inbox.complete(c.id, c.attempts, { status: 'done' }, now);
    await store.outbox.enqueue([{ sessionId: 'ses_bench', portalId: 1001, effect: { type: 'askAiToReply', instruction: null } }], now);
    for (const e of await store.outbox.claimDue({ now, limit: 1, leaseMs: 60_000 })) await store.outbox.markDone(e.id, e.attempts, now);
  }
}

async function measure(prune: boolean): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opencx-retention-'));
  try {
    const config = loadConfig({ DATABASE_PATH: join(dir, 'opencx.sqlite'), DATA_DIR: dir });
    let now = Date.now();
    const clock = { now: () => now };
    const store = await openConfiguredStore(config, createSilentLogger(), now);
    try {
      await seed(store, now);
      const sizes: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        await oneRound(store, round, now);
        sizes.push(size(config.databasePath));
        // The days pass: what this round finished is now older than the retention period.
        now += (config.retentionDays + 1) * DAY_MS;
        if (prune) await pruneFinishedRows({ store, clock, config }, { batchSize: 500 });
      }
      return sizes;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
log(`${ROUNDS} rounds of ${EVENTS_PER_ROUND} events, with and without pruning`);
const pruned = await measure(true);
const unpruned = await measure(false);
const growth = pruned[ROUNDS - 1]! / pruned[0]!;
const result = {
  at: new Date().toISOString(), eventsPerRound: EVENTS_PER_ROUND, quick,
  prunedBytes: pruned, unprunedBytes: unpruned, growthAfterThreeRounds: growth, target: TARGET_GROWTH, pass: growth <= TARGET_GROWTH,
};
const md = [
  `# SQLite file size under a steady load (${result.at})`,
  '',
  `${ROUNDS} rounds of the same load: ${EVENTS_PER_ROUND} webhook events stored and finished, one effect per 100 events performed.`,
  '',
  '| after round | with retention (MB) | without (MB) |',
  '|---|---:|---:|',
  ...pruned.map((bytes, i) => `| ${i + 1} | ${mb(bytes)} | ${mb(unpruned[i]!)} |`),
  '',
  '| target | value | PASS/MISS |',
  '|---|---|---|',
  `| file after three rounds ≤ ${TARGET_GROWTH}× the file after one, with retention | ${growth.toFixed(2)}× | ${result.pass ? 'PASS' : 'MISS'} |`,
  '',
].join('\n');
const out = quick ? join(BENCH_DIR, 'results', 'partial') : join(BENCH_DIR, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'retention.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(out, 'retention.md'), md);
process.stdout.write(`${md}\n`);
if (!result.pass) process.exitCode = 1;
