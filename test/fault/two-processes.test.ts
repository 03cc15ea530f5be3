// Issue 9, fault 3: two server processes on one database file, behind one public URL (a round-robin load
// balancer). HubSpot's deliveries (each event sent twice, shuffled), copies of one workflow-action call arriving
// together, and a burst of signed batches each sent to both processes at once: every event and every action must
// act once, and HubSpot must never see an error caused by the two processes sharing the file (SQLITE_BUSY).
import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { createSandbox, type ActionExecution, type Sandbox } from '../sandbox/index';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { mapConcurrent, sendSigned } from '../support/signed-requests';
import { integrityCheck, withReadOnlyDb } from '../support/sqlite-readonly';
import {
  buildLane,
  dedupKey,
  FAST_CHILD_WORKERS,
  laneProblems,
  newWorldFiles,
  populateWorld,
  readFacts,
  replyProblems,
  seedLaneSessions,
  unconnectedEvents,
  type Lane,
  type RawEvent,
  type World,
} from './burst-kit';

const BURST_BATCHES = 30;
const BATCH_SIZE = 100;
const EVENTS_PER_LANE = 19;

let proxy: RoundRobinProxy | undefined;
let sandbox: Sandbox | undefined;
let closeSandbox: (() => Promise<void>) | undefined;
const processes: ServerProcess[] = [];
let world: World | undefined;

afterAll(async () => {
  for (const p of processes) await p.kill9();
  await proxy?.close();
  await closeSandbox?.();
  await sandbox?.close();
  if (world) rmSync(world.dir, { recursive: true, force: true });
});

/** What is still to do, as rows: nothing when both processes are done with everything they were given. */
function unfinished(path: string): string[] {
  for (const p of processes) if (p.exit()) throw new Error(`a server process exited: ${JSON.stringify(p.exit())}\n${p.output()}`);
  return withReadOnlyDb(path, (db) => [
    ...db.prepare("SELECT 'inbox ' || status || ' ' || coalesce(event_kind, '') || ' ' || coalesce(last_error, '') AS row FROM webhook_inbox WHERE status IN ('pending', 'processing')").all(),
    ...db.prepare("SELECT 'effect ' || status || ' ' || effect || ' ' || coalesce(last_error, '') AS row FROM effects_outbox WHERE status IN ('pending', 'processing')").all(),
    ...db.prepare("SELECT 'action ' || status || ' ' || callback_id AS row FROM action_executions WHERE status IN ('awaiting_ai', 'completing')").all(),
    ...db.prepare("SELECT 'reply ' || status || ' ' || request_key AS row FROM ai_replies WHERE status NOT IN ('answered', 'handoff')").all(),
  ].map((r) => (r as { row: string }).row));
}

async function settle(path: string): Promise<void> {
  await sandbox!.idle();
  await expect.poll(() => unfinished(path), { timeout: 30_000, interval: 100 }).toEqual([]);
  await sandbox!.idle();
}

it('acts once for everything HubSpot sends to two processes on one database, and never answers with a database error', { timeout: 90_000 }, async () => {
  // Copies of one workflow-action call go one to each process; everything else takes turns.
  const copiesSeen = new Map<string, number>();
  proxy = await startRoundRobinProxy({
    pick: ({ path, body }) => {
      if (!path.startsWith('/hubspot/actions/')) return undefined;
      const callbackId = /"callbackId":"([^"]+)"/.exec(body)?.[1] ?? '';
      const seen = copiesSeen.get(callbackId) ?? 0;
      copiesSeen.set(callbackId, seen + 1);
      return seen;
    },
  });
  sandbox = createSandbox({
    seedDemoPortal: false,
    profileVariables: { BACKEND_URL: proxy.url },
    rateLimit: { max: 100_000, intervalMs: 10_000 },
    webhook: { batchWindowMs: 20, retryDelaysMs: [50, 100, 200, 400, 800] },
    actions: { retryDelaysMs: [50, 100, 200], maxRetries: 3, timeoutMs: 10_000 },
  });
  const listening = await sandbox.listen(0);
  closeSandbox = listening.close;
  const files = newWorldFiles(sandbox, listening.url, proxy.url);
  // One after the other: the first creates the schema.
  processes.push(await startServerProcess({ env: files.env, workers: FAST_CHILD_WORKERS }));
  processes.push(await startServerProcess({ env: files.env, workers: FAST_CHILD_WORKERS }));
  const [a, b] = processes as [ServerProcess, ServerProcess];
  proxy.setTargets([a.url, b.url]);
  sandbox.control.setDeliveryInjections({ duplicate: 2, order: 'shuffle' });

  // 1. Conversations start (delivered live, through the balancer): the AI answers each, once.
  world = await populateWorld(sandbox, files, { portals: 4, threadsPerPortal: 4, messagesPerThread: 2, firstPortalId: 710_001 });
  const w = world;
  const tickets = w.threads.map(({ portalId, threadId }, i) => {
    const thread = sandbox!.state.portals[String(portalId)]!.threads[threadId]!;
    const ticket = sandbox!.control.createTicket({ portalId, subject: `Order ${i}`, contactId: String(thread.associatedContactId), threadId });
    return { portalId, threadId, ticketId: ticket.id, owned: i % 2 === 0 };
  });
  await settle(w.databasePath);

  // 2. Agents take half of the tickets; every customer writes again (the AI answers only the others).
  for (const t of tickets.filter((t) => t.owned)) {
    const jane = Object.values(sandbox.state.portals[String(t.portalId)]!.users).find((u) => u.firstName === 'Jane')!;
    sandbox.control.setTicketOwner({ portalId: t.portalId, ticketId: t.ticketId, ownerId: jane.ownerId, actingUserId: jane.userId });
  }
  for (const t of tickets) sandbox.control.postCustomerMessage({ portalId: t.portalId, threadId: t.threadId, text: 'Where is my order now?' });
  await settle(w.databasePath);

  // 3. At the same time: workflow actions, each call arriving twice at once (one copy per process), and a
  //    burst of signed batches, each sent to both processes at once.
  const lanes: Lane[] = [];
  const batches: RawEvent[][] = [];
  const base = Date.now() - 60_000;
  for (let i = 0; i < BURST_BATCHES; i += 1) {
    const batch: RawEvent[] = [];
    for (let l = 0; l < 2; l += 1) {
      const index = 10_000 + i * 2 + l;
      const connection = w.connections[index % w.connections.length]!;
      const lane = buildLane(sandbox, { index, portalId: connection.portalId, agents: w.agents.get(connection.portalId)!, events: EVENTS_PER_LANE, occurredAt: base + index * 100 });
      lanes.push(lane);
      batch.push(...lane.events);
    }
    batch.push(...unconnectedEvents(sandbox.appCredentials.appId, 799_998, BATCH_SIZE - batch.length, base + i * 100));
    batches.push(batch);
  }
  await seedLaneSessions(w, lanes);

  const secret = sandbox.appCredentials.clientSecret;
  const signedUrl = `${proxy.url}/hubspot/webhooks`;
  const burst = mapConcurrent(batches, 4, async (events) => {
    const body = JSON.stringify(events);
    return Promise.all(
      [a, b].map(async (server) => {
        const res = await sendSigned(`${server.url}/hubspot/webhooks`, { secret, signedUrl, body });
        const text = await res.text();
        return { status: res.status, stored: res.status === 200 ? (JSON.parse(text) as { stored: number }).stored : 0, text };
      }),
    );
  });
  const twice = (run: () => Promise<ActionExecution>) => Promise.all([run(), run()]);
  const actions = Promise.all(
    tickets.map((t, i) =>
      twice(() =>
        sandbox!.control.runWorkflowAction({
          portalId: t.portalId,
          actionUid: t.owned ? 'send-to-ai' : 'request-handoff',
          objectType: 'TICKET',
          objectId: t.ticketId,
          callbackId: `ap-two-processes-${i}`,
          inputFields: t.owned ? {} : { reason: 'The customer asked for a person' },
        }),
      ),
    ),
  );
  const [burstAnswers, executions] = await Promise.all([burst, actions]);
  await settle(w.databasePath);

  // HubSpot was told 200 every time: no 5xx (SQLITE_BUSY or otherwise), and no retriable 503/429 either.
  const answered = proxy.log.filter((r) => r.path.startsWith('/hubspot/'));
  expect(answered.filter((r) => r.status !== 200)).toEqual([]);
  expect(new Set(answered.map((r) => r.target))).toEqual(new Set([0, 1]));
  expect(burstAnswers.flat().filter((r) => r.status !== 200)).toEqual([]);
  // Each event of the burst was stored by exactly one of the two processes that received it.
  expect(burstAnswers.map(([x, y]) => x!.stored + y!.stored)).toEqual(Array(BURST_BATCHES).fill(BATCH_SIZE));

  // Every action acted once: both copies got the same answer (Send to OpenCX AI: BLOCK, then one completion
  // through the callback API — the sandbox keeps the copies as two records and completes the first).
  for (const pair of executions) {
    const copies = answered.filter((r) => r.requestBody.includes(`"${pair[0]!.callbackId}"`));
    expect(copies.map((r) => r.target).sort(), `the copies of ${pair[0]!.callbackId} went to both processes`).toEqual([0, 1]);
    // (The proxy's log, not the sandbox's: a completion through the callback API can beat the BLOCK answer.)
    expect(copies.map((r) => r.status)).toEqual([200, 200]);
    expect(copies[0]!.body).toBe(copies[1]!.body);
  }
  await expect
    .poll(() => executions.filter((pair) => !pair.some((e) => e.status === 'completed')).map((pair) => pair[0]!.callbackId), { timeout: 10_000 })
    .toEqual([]);
  expect(executions.flat().filter((e) => e.status === 'failed')).toEqual([]);
  for (const t of tickets.filter((t) => !t.owned)) {
    expect(sandbox.control.notesForTicket({ portalId: t.portalId, ticketId: t.ticketId }), `ticket ${t.ticketId}`).toHaveLength(1);
  }

  const facts = withReadOnlyDb(w.databasePath, readFacts);
  expect([...facts.inbox.values()].filter((s) => s !== 'done' && s !== 'ignored')).toEqual([]);
  expect(facts.inbox.size).toBeGreaterThanOrEqual(BURST_BATCHES * BATCH_SIZE);
  for (const e of batches.flat()) expect(facts.inbox.has(dedupKey(e))).toBe(true);
  expect(withReadOnlyDb(w.databasePath, (db) => db.prepare("SELECT count(*) AS n FROM effects_outbox WHERE status = 'dead'").get())).toEqual({ n: 0 });
  expect(laneProblems(lanes, facts)).toEqual([]);
  const allCustomerMessages = new Set(
    w.threads.flatMap(({ portalId, threadId }) =>
      sandbox!.state.portals[String(portalId)]!.threads[threadId]!.messages.filter((m) => m.direction === 'INCOMING').map((m) => m.id),
    ),
  );
  expect(replyProblems(sandbox, w, facts, allCustomerMessages)).toEqual([]);
  // The owned conversations got their one AI reply from "Send to OpenCX AI", the others from the customer's message.
  for (const t of tickets) {
    const session = facts.sessionsByThread.get(`${t.portalId}:${t.threadId}`)!;
    expect(facts.controls.get(session)?.status, `ticket ${t.ticketId}`).toBe(t.owned ? 'active' : 'handoff_requested');
  }

  expect(processes.map((p) => p.exit())).toEqual([null, null]);
  // Neither process logged an error (they log at `error` level here: a failed batch, a dead event, a busy database).
  for (const p of processes) expect(p.output().replace(/\s*OPENCX_TEST_READY \S+\s*/, '')).toBe('');
  await Promise.all(processes.map((p) => p.stop()));
  expect(integrityCheck(w.databasePath)).toBe('ok');
});
