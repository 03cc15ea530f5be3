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
import type { ClosableStore } from './store';

type StoreConfig = Pick<Config, 'databasePath' | 'databaseUrl' | 'dataDir' | 'tokenEncryptionKey'>;

/**
 * Opens the store the configuration describes: PostgreSQL when DATABASE_URL is set, else the SQLite file. Nothing
 * above this function knows which one it got.
 */
export async function openConfiguredStore(config: StoreConfig, logger: Logger, now: number = Date.now()): Promise<ClosableStore> {
  if (config.databaseUrl === null) return openStore(config, logger, now);
  const cipher = cipherFor(config, logger);
  const { pool, clientConfig } = await openPgDatabase(config.databaseUrl, { cipher, logger, now });
  return createPgStore(pool, cipher, createPgWakeups(clientConfig, logger));
}

/** The SQLite store: the key, the database (migrated), the key check. Synchronous, for tools and tests on a file. */
export function openStore(config: Pick<Config, 'databasePath' | 'dataDir' | 'tokenEncryptionKey'>, logger: Logger, now: number = Date.now()): SqliteStore {
  const cipher = cipherFor(config, logger);
  const db = openDatabase(config.databasePath, { logger });
  try {
    verifyEncryptionKey(db, cipher, now);
  } catch (err) {
    db.close();
    throw err;
  }
  return createSqliteStore(db, cipher);
}

function cipherFor(config: Pick<Config, 'dataDir' | 'tokenEncryptionKey'>, logger: Logger): TokenCipher {
  return createTokenCipher(loadEncryptionKey({ configuredKey: config.tokenEncryptionKey, dataDir: config.dataDir, logger }));
}
