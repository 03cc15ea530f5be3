import type { Config } from '../config';
import { loadEncryptionKey } from '../crypto/encryption-key';
import { createTokenCipher, type TokenCipher } from '../crypto/token-cipher';
import type { Logger } from '../logger';
import { openDatabase } from './db';
import { verifyEncryptionKey } from './key-check';
import { openPgDatabase } from './pg-db';
import { createPgStore } from './pg-store';
import { createPgWakeups } from './pg-wakeups';
import { createSqliteStore, type SqliteStore } from './sqlite-store';
import type { ClosableStore, StoreOptions } from './store';

type StoreConfig = Pick<Config, 'databasePath' | 'databaseUrl' | 'dataDir' | 'tokenEncryptionKey'> & Partial<Pick<Config, 'production'>>;

/**
 * Opens the store the configuration describes: PostgreSQL when DATABASE_URL is set, else the SQLite file. Nothing
 * above this function knows which one it got.
 */
export async function openConfiguredStore(config: StoreConfig, logger: Logger, now: number = Date.now()): Promise<ClosableStore> {
  if (config.databaseUrl === null) return openStore(config, logger, now);
  const options = storeOptions(config);
  const cipher = cipherFor(config, logger);
  const { pool, clientConfig } = await openPgDatabase(config.databaseUrl, { cipher, logger, now });
  return createPgStore(pool, cipher, createPgWakeups(clientConfig, logger), options);
}

/** The SQLite store: the key, the database (migrated), the key check. Synchronous, for tools and tests on a file. */
export function openStore(
  config: Pick<Config, 'databasePath' | 'dataDir' | 'tokenEncryptionKey'> & Partial<Pick<Config, 'production'>>,
  logger: Logger,
  now: number = Date.now(),
): SqliteStore {
  const cipher = cipherFor(config, logger);
  const db = openDatabase(config.databasePath, { logger });
  try {
    verifyEncryptionKey(db, cipher, now);
  } catch (err) {
    db.close();
    throw err;
  }
  return createSqliteStore(db, cipher, storeOptions(config));
}

/** Development-time checks stay on unless the configuration says production (config.ts, NODE_ENV). */
const storeOptions = (config: Partial<Pick<Config, 'production'>>): StoreOptions => ({ checkNestedUse: config.production !== true });

function cipherFor(config: Pick<Config, 'dataDir' | 'tokenEncryptionKey'>, logger: Logger): TokenCipher {
  return createTokenCipher(loadEncryptionKey({ configuredKey: config.tokenEncryptionKey, dataDir: config.dataDir, logger }));
}
