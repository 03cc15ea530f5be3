// Stopping the server while its workers wait for the portal's HubSpot budget (a backlog larger than 110 calls per
// 10 s): the stop does not wait out the rate-limit waits (up to 15 s per call), and the events those workers held
// go back to the inbox for a later attempt instead of staying leased until the lease expires.
import { afterEach, expect, it } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { withReadOnlyDb } from '../support/sqlite-readonly';
import { startStack, type Stack } from '../support/stack';

const PORTAL = 62515;
const CUSTOMERS = 150;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

it('stops at once while workers wait for the HubSpot budget, and puts their events back', { timeout: 60_000 }, async () => {
  stack = await startStack({ sandbox: { seedDemoPortal: true }, start: { workers: { inbox: { pollIntervalMs: 20 } } } });
  const s = stack;
  const bot = s.sandbox.control.createUser({ portalId: PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  await connectPortalOverOAuth(s, { portalId: PORTAL, userId: bot.userId });
  for (let i = 0; i < CUSTOMERS; i++) {
    const contact = s.sandbox.control.createContact({ portalId: PORTAL, email: `customer${i}@example.com` });
    s.sandbox.control.createThread({ portalId: PORTAL, contactId: contact.id, channel: 'LIVE_CHAT', text: `Question ${i}` });
  }
  await s.sandbox.idle();
  // The portal's budget (110 requests per 10 s) is spent and the worker's current round waits for it.
  await expect.poll(async () => (await s.server.deps.store.inbox.countByStatus()).processing, { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
  await expect.poll(() => s.sandbox.state.apiRequests.length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(100);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stillUnfinished = await s.server.deps.store.inbox.countByStatus();
  expect(stillUnfinished.pending + stillUnfinished.processing).toBeGreaterThan(0);

  const startedStop = performance.now();
  await s.server.close();
  // Without the stop signal the round would hold the stop for the rate-limit wait (10 s here).
  expect(performance.now() - startedStop).toBeLessThan(3_000);

  const databasePath = `${s.dir}/opencx.sqlite`;
  const rows = withReadOnlyDb(databasePath, (db) =>
    db.prepare("SELECT status, last_error AS lastError FROM webhook_inbox WHERE status IN ('pending', 'processing', 'dead')").all(),
  ) as { status: string; lastError: string | null }[];
  expect(rows.filter((r) => r.status !== 'pending')).toEqual([]);
  expect(rows.some((r) => r.lastError?.includes('the server is stopping'))).toBe(true);
});
