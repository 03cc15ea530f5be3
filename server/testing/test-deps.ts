import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFixedClock } from '../src/clock';
import { loadConfig, type Config } from '../src/config';
import type { AppDeps } from '../src/deps';
import { createSilentLogger } from '../src/logger';
import { createServices, type Services } from '../src/services';
import { openStore } from '../src/store/open-store';
import type { SqliteStore } from '../src/store/sqlite-store';

export interface TestDeps extends AppDeps {
  store: SqliteStore;
  clock: ReturnType<typeof createFixedClock>;
  dir: string;
  /** Closes the database and deletes the temporary folder. */
  cleanup(): Promise<void>;
}

/** 2026-01-15T10:00:00Z: a fixed "now" so that test output never depends on the wall clock. */
export const TEST_NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

/**
 * Dependencies for one test: a real SQLite file in a fresh temporary folder, a random encryption key, a fixed
 * clock and a silent logger. Each call is isolated, so tests can run in parallel.
 */
export function createTestDeps(
  overrides: { env?: Record<string, string>; now?: number; services?: Partial<Services> } = {},
): TestDeps {
  const dir = mkdtempSync(join(tmpdir(), 'opencx-test-'));
  const config: Config = loadConfig({
    DATABASE_PATH: join(dir, 'opencx.sqlite'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...overrides.env,
  });
  const logger = createSilentLogger();
  const clock = createFixedClock(overrides.now ?? TEST_NOW);
  let store: SqliteStore;
  try {
    store = openStore(config, logger, clock.now());
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const base = { config, store, clock, logger };
  return {
    ...base,
    ...createServices(base),
    ...overrides.services,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
