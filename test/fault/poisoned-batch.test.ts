// A validly signed batch that is pathological (a field nested 1,001 deep: past SQLite's json_valid; or 100,000
// deep: past JSON.stringify) sent at the same moment as 60 valid batches, which the intake commits together.
// The poisoned one is refused with a 400 before anything is stored, and every valid one is stored and answered 200.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { sendSigned } from '../support/signed-requests';
import { withReadOnlyDb } from '../support/sqlite-readonly';
import { startStack, type Stack } from '../support/stack';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

it.each([
  ['1,001 deep', 1_001],
  ['100,000 deep', 100_000],
])('refuses a batch nested %s with a 400 while the 60 valid batches sent with it are stored', async (_name, depth) => {
  // HubSpot delivers from many addresses; here every batch comes from one, so its connection cap is raised.
  stack = await startStack({ env: { HTTP_MAX_CONNECTIONS_PER_CLIENT: '100' } });
  const { appId, clientSecret } = stack.sandbox.appCredentials;
  const url = `${stack.serverUrl}/hubspot/webhooks`;
  const event = (eventId: number) => ({
    eventId,
    subscriptionId: 1,
    portalId: 999,
    appId,
    occurredAt: Date.now(),
    subscriptionType: 'conversation.creation',
    attemptNumber: 0,
    objectId: eventId,
  });
  const valid = Array.from({ length: 60 }, (_, i) => JSON.stringify([event(i + 1)]));
  const poisoned = `[${JSON.stringify(event(1_000)).slice(0, -1)},"extra":${nested(depth)}}]`;
  expect(() => JSON.parse(poisoned)).not.toThrow();

  const [bad, ...good] = await Promise.all([poisoned, ...valid].map((body) => sendSigned(url, { secret: clientSecret, signedUrl: url, body })));
  expect(bad!.status).toBe(400);
  expect(await bad!.json()).toMatchObject({ error: { code: 'invalid_json' } });
  expect(good.map((r) => r.status)).toEqual(valid.map(() => 200));
  expect(await Promise.all(good.map((r) => r.json()))).toEqual(valid.map(() => ({ received: 1, stored: 1 })));

  const stored = withReadOnlyDb(join(stack.dir, 'opencx.sqlite'), (db) => db.prepare('SELECT object_id FROM webhook_inbox ORDER BY CAST(object_id AS INTEGER)').pluck().all());
  expect(stored).toEqual(valid.map((_, i) => String(i + 1)));
});
