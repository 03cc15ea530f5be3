import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import { anOrganization } from '../../testing/fixtures';
import { createEngineTestDeps, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';

// tokens-at-rest.test.ts for PostgreSQL: what reaches the cluster's files (tables and WAL) after a checkpoint.
let deps: EngineTestDeps;
beforeEach(async () => {
  deps = await createEngineTestDeps('postgres');
});
afterEach(() => deps.cleanup());

const run = randomUUID().slice(0, 8);
const ACCESS = `CANARY-ACCESS-${run}-access-token`;
const REFRESH = `CANARY-REFRESH-${run}-refresh-token`;
const PRIVATE_APP = `pat-na1-CANARY-PRIVATE-APP-${run}`;
const VISIBLE = `org_visible_${run}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : [path];
  });
}

const containsAnywhere = (files: string[], needle: string) =>
  files.some((file) => {
    try {
      return readFileSync(file).includes(needle);
    } catch {
      return false; // a file removed by the server meanwhile
    }
  });

it('never writes a token in plaintext: not in the tables, not in the WAL', async () => {
  await deps.store.organizations.create(anOrganization({ id: VISIBLE }));
  const details = { organizationId: VISIBLE, portalId: 1001, connectedBy: { hubspotUserId: 1, email: null }, scopes: [], hubDomain: null };
  await deps.store.connections.savePrivateAppConnection({ ...details, token: PRIVATE_APP }, TEST_NOW);
  await deps.store.connections.saveOAuthConnection({ ...details, tokens: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: TEST_NOW } }, TEST_NOW);

  // Flush every page to the data files (the test cluster runs without fsync, not without writes).
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  await admin.query('CHECKPOINT');
  await admin.end();

  const files = filesUnder(inject('postgresDataDir'));
  expect(files.length).toBeGreaterThan(0);
  for (const canary of [ACCESS, REFRESH, PRIVATE_APP]) expect(containsAnywhere(files, canary), canary).toBe(false);
  // A non-token column proves the scan would have found plaintext had it been there.
  expect(containsAnywhere(files, VISIBLE)).toBe(true);
  expect(await deps.store.connections.getTokens(1001)).toMatchObject({ oauth: { accessToken: ACCESS, refreshToken: REFRESH }, privateAppToken: PRIVATE_APP });
});
