import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createFixedClock } from '../src/clock';
import { loadConfig } from '../src/config';
import type { AppDeps } from '../src/deps';
import { createSilentLogger } from '../src/logger';
import { createServices } from '../src/services';
import { openDatabase } from '../src/store/db';
import { openConfiguredStore } from '../src/store/open-store';
import type { ClosableStore } from '../src/store/store';
import { createTestDatabase, emptyDatabase } from './postgres';
import { TEST_NOW } from './test-deps';

/** The engines every store contract test runs against. */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export interface EngineTestDeps extends AppDeps {
  engine: Engine;
  store: ClosableStore;
  clock: ReturnType<typeof createFixedClock>;
  /** The SQLite file's folder (also DATA_DIR); PostgreSQL's tests use it for nothing else. */
  dir: string;
  /** DATABASE_URL of the test's database (PostgreSQL), else null. */
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

// One database per test file (each file runs in its own module scope), emptied before each test.
let fileDatabase: Promise<string> | undefined;

/**
 * createTestDeps (test-deps.ts) for either engine: a fresh temporary SQLite file, or this file's PostgreSQL
 * database emptied of the previous test's rows. Random key, fixed clock, silent logger, real services.
 */
export async function createEngineTestDeps(engine: Engine, overrides: { now?: number } = {}): Promise<EngineTestDeps> {
  const dir = mkdtempSync(join(tmpdir(), 'opencx-test-'));
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    databaseUrl = await (fileDatabase ??= createTestDatabase());
    await emptyDatabase(databaseUrl);
  }
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'opencx.sqlite'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  const logger = createSilentLogger();
  const clock = createFixedClock(overrides.now ?? TEST_NOW);
  const store = await openConfiguredStore(config, logger, clock.now());
  const base = { config, store, clock, logger };
  return {
    ...base,
    ...createServices(base),
    engine,
    dir,
    databaseUrl,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of a table as the engine stores it (no decryption, no mapping): for checks of what is at rest. */
export async function rawRows(deps: EngineTestDeps, table: string): Promise<unknown[]> {
  if (deps.databaseUrl === null) {
    const db = openDatabase(deps.config.databasePath);
    try {
      return db.prepare(`SELECT * FROM ${table}`).all();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: deps.databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT * FROM ${table}`)).rows;
  } finally {
    await client.end();
  }
}
