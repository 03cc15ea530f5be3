import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
beforeEach(() => {
  deps = createTestDeps();
});
afterEach(() => deps.cleanup());

const ACCESS = 'CANARY-ACCESS-7f3a9c1e-access-token';
const REFRESH = 'CANARY-REFRESH-2b8d4e6f-refresh-token';
const PRIVATE_APP = 'pat-na1-CANARY-PRIVATE-APP-0a1b2c3d';
const CLIENT_SECRET = 'CANARY-CLIENT-SECRET-5e6f7a8b';

function rawBytes(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

it('never writes a token or webhook secret in plaintext: not in the database file, not in the WAL', async () => {
  await deps.store.organizations.create(anOrganization());
  const details = { organizationId: 'org_1', portalId: 1001, connectedBy: { hubspotUserId: 1, email: null }, scopes: [], hubDomain: null };
  await deps.store.connections.savePrivateAppConnection({ ...details, token: PRIVATE_APP }, TEST_NOW);
  await deps.store.connections.saveOAuthConnection(
    { ...details, tokens: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: TEST_NOW } },
    TEST_NOW,
  );
  const webhook = await deps.store.legacyWebhooks.getOrCreate('org_1', TEST_NOW);
  await deps.store.legacyWebhooks.setClientSecret('org_1', CLIENT_SECRET, TEST_NOW);

  const path = deps.config.databasePath;
  const scan = () => Buffer.concat([rawBytes(path), rawBytes(`${path}-wal`), rawBytes(`${path}-shm`)]);
  const canaries = [ACCESS, REFRESH, PRIVATE_APP, CLIENT_SECRET, webhook.secret, 'CANARY'];

  // Before the checkpoint the rows live in the WAL; after it, in the main file.
  const beforeCheckpoint = scan();
  expect(beforeCheckpoint.length).toBeGreaterThan(0);
  for (const canary of canaries) expect(beforeCheckpoint.includes(canary)).toBe(false);

  const db = new Database(path);
  db.pragma('wal_checkpoint(FULL)');
  db.close();
  const afterCheckpoint = scan();
  for (const canary of canaries) {
    expect(afterCheckpoint.includes(canary)).toBe(false);
    expect(afterCheckpoint.includes(Buffer.from(canary, 'utf16le'))).toBe(false);
  }

  // …and yet the tokens are all there for the one method allowed to read them.
  expect(await deps.store.connections.getTokens(1001)).toMatchObject({
    authMode: 'oauth',
    oauth: { accessToken: ACCESS, refreshToken: REFRESH },
    privateAppToken: PRIVATE_APP,
  });
  // A non-token column proves the scan would have found plaintext had it been there.
  expect(afterCheckpoint.includes('org_1')).toBe(true);
});
