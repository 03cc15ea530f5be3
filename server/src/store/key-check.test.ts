import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSilentLogger } from '../logger';
import { openStore } from './open-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opencx-keycheck-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('refuses to open a database with a key other than the one it was written with', async () => {
  const config = { databasePath: join(dir, 'opencx.sqlite'), dataDir: dir, tokenEncryptionKey: randomBytes(32) };
  await openStore(config, createSilentLogger()).close();
  await openStore(config, createSilentLogger()).close();
  expect(() => openStore({ ...config, tokenEncryptionKey: randomBytes(32) }, createSilentLogger())).toThrow(
    /does not match the one this database was written with/,
  );
});

it('generates the key file on first start and keeps using it', async () => {
  const config = { databasePath: join(dir, 'opencx.sqlite'), dataDir: dir, tokenEncryptionKey: null };
  await openStore(config, createSilentLogger()).close();
  await openStore(config, createSilentLogger()).close();
});
