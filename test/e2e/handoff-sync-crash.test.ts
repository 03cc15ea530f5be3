// "A worker killed mid-batch loses no acknowledged event": a real server process acknowledges webhook batches and
// claims their events, HubSpot hangs under it, and it is killed with SIGKILL (no shutdown code runs). A new server
// on the same database takes the claims over once their lease has run out and processes every acknowledged event
// exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dedupKeyOf, parseWebhookEvent } from '@opencx/shared';
import { loadConfig } from '@opencx/server/config';
import { createSilentLogger } from '@opencx/server/logger';
import { startServer, type RunningServer } from '@opencx/server/start-server';
import { openStore } from '@opencx/server/store/open-store';
import type { SqliteStore } from '@opencx/server/store/sqlite-store';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../sandbox/index';
import { newEncryptionKey, serverProcessEnv } from '../support/server-process';
import { freePort } from '../support/stack';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PORTAL = 62515;
const CUSTOMER = '101';
const JANE = { userId: 9586504, ownerId: '52550153' };
/** The inbox lease a dead worker's claims keep (INBOX_LEASE_MS); the restarted server lives past it. */
const LEASE_MS = 60_000;

let dir: string;
let sandbox: Sandbox;
let closeSandbox: () => Promise<void>;
let child: ChildProcess | undefined;
let server: RunningServer | undefined;
let observer: SqliteStore | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  sandbox.control.clearFaults();
  await server?.close();
  await observer?.close();
  await closeSandbox();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start` of the server alone, as one process (no tsx wrapper: SIGKILL must hit the server itself). */
function startChildServer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: REPO, env: { ...process.env, ...env }, stdio: 'ignore' });
}

async function waitForHealth(url: string): Promise<void> {
  await expect
    .poll(async () => fetch(`${url}/healthz`).then((r) => r.status, () => 0), { timeout: 15_000, interval: 100 })
    .toBe(200);
}

it('loses no acknowledged event when the server process is killed while its events are claimed', { timeout: 60_000 }, async () => {
  dir = mkdtempSync(join(tmpdir(), 'opencx-crash-'));
  const port = await freePort();
  const childUrl = `http://127.0.0.1:${port}`;
  sandbox = createSandbox({ profileVariables: { BACKEND_URL: childUrl }, webhook: { batchWindowMs: 20, retryDelaysMs: [100, 200, 400, 800] } });
  const listening = await sandbox.listen(0);
  closeSandbox = listening.close;
  const app = sandbox.appCredentials;
  const env = {
    PORT: String(port),
    ...serverProcessEnv({
      databasePath: join(dir, 'opencx.sqlite'),
      sandboxUrl: listening.url,
      app,
      tokenEncryptionKey: newEncryptionKey(),
      logLevel: 'silent',
    }),
  };
  const config = loadConfig(env);

  // The organization and its OAuth connection, written before the server starts (as the Connect flow leaves them).
  const bot = sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  const tokens = sandbox.control.installApp({ portalId: PORTAL, userId: bot.userId });
  observer = openStore(config, createSilentLogger());
  await observer.organizations.create({ id: 'org_1', name: 'Acme', oauthOnly: false, unassignPolicy: 'stay_paused', createdAt: Date.now() });
  await observer.connections.saveOAuthConnection(
    {
      organizationId: 'org_1',
      portalId: PORTAL,
      connectedBy: { hubspotUserId: bot.userId, email: bot.email },
      scopes: [],
      hubDomain: null,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 },
    },
    Date.now(),
  );

  // 1. The first server acknowledges a conversation, a ticket and an agent's takeover, but HubSpot hangs on every
  //    conversation read, so its workers hold their claims when it dies.
  child = startChildServer(env);
  await waitForHealth(childUrl);
  sandbox.control.addFault({ pathPrefix: '/conversations', method: 'GET', hang: true });
  // Jane takes the conversation before the customer writes, so no AI reply is due: the outcome is deterministic.
  const t = sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT' });
  sandbox.control.assignThread({ portalId: PORTAL, threadId: t.id, userId: JANE.userId });
  sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Where is my order?' });
  sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: t.id, text: 'Hello? Anyone?' });
  const ticket = sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: t.id });
  sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId, actingUserId: JANE.userId });
  await sandbox.idle();
  const acknowledged = sandbox.state.webhookDeliveries.filter((d) => d.ok && d.status === 200).flatMap((d) => d.events);
  expect(acknowledged.length).toBeGreaterThanOrEqual(5);
  await expect.poll(async () => (await observer!.inbox.countByStatus()).processing).toBeGreaterThan(0);
  const atCrash = await observer.inbox.countByStatus();
  expect(atCrash.done).toBe(0);

  child.kill('SIGKILL');
  await new Promise((done) => child!.once('exit', done));
  child = undefined;
  sandbox.control.clearFaults();

  // 2. A new server on the same database, after the dead worker's leases ran out, finishes the job.
  const clock = { now: () => Date.now() + LEASE_MS + 1_000 };
  server = await startServer(loadConfig({ ...env, PORT: '0' }), { clock, workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } });
  sandbox.control.setWebhookTarget(`${server.url}/hubspot/webhooks`);
  await expect
    .poll(async () => {
      const c = await observer!.inbox.countByStatus();
      const effects = Object.values(await observer!.outbox.countUnfinished()).reduce((a, b) => a + b, 0);
      return c.pending + c.processing + effects;
    }, { timeout: 20_000 })
    .toBe(0);

  // Every acknowledged event is in the inbox once and was processed (none dead, none left behind).
  const rows = await observer.inbox.list();
  const keys = new Set(acknowledged.map((e) => {
    const parsed = parseWebhookEvent(e);
    if (!parsed.ok) throw new Error('the sandbox sent an event we cannot parse');
    return dedupKeyOf(parsed.value);
  }));
  expect(rows.map((r) => r.dedupKey).sort()).toEqual([...keys].sort());
  expect(rows.filter((r) => r.status === 'dead')).toEqual([]);
  expect(rows.every((r) => r.status === 'done' || r.status === 'ignored')).toBe(true);

  // …and exactly once: each customer message stored once, each takeover applied once (the ticket's only changes
  // who holds the pause), and no AI reply in a conversation Jane took before the customer wrote.
  const session = (await observer.sessions.findByThread(PORTAL, t.id))!;
  const history = await observer.chatHistory.listRecent(session.id, 100);
  expect(history.map((m) => [m.role, m.text])).toEqual([
    ['customer', 'Where is my order?'],
    ['customer', 'Hello? Anyone?'],
  ]);
  const events = await observer.aiControl.listEvents(session.id, 10);
  expect(events.map((e) => e.type).sort()).toEqual(['ai_paused', 'pause_cause_changed']);
  expect(sandbox.state.portals[String(PORTAL)]!.tickets[ticket.id]!.properties['opencx_ai_status']).toBe('paused');
  expect((await observer.aiControl.load(session.id))?.control.state.status).toBe('paused');
  const posted = sandbox.state.portals[String(PORTAL)]!.threads[t.id]!.messages.filter((m) => m.client.clientType === 'INTEGRATION');
  expect(posted).toEqual([]);
});
