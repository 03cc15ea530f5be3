import type { Config } from '../config';
import { loadEncryptionKey } from '../crypto/encryption-key';
import { createTokenCipher } from '../crypto/token-cipher';
import type { Logger } from '../logger';
import { openDatabase } from './db';
import { verifyEncryptionKey } from './key-check';
import { createSqliteStore, type SqliteStore } from './sqlite-store';

/**
 * Opens the store the configuration describes: the key, the database (migrated), the key check. This is where a
 * second engine would be chosen (e.g. by a DATABASE_URL); nothing above this function knows which one it got.
 */
export function openStore(
  config: Pick<Config, 'databasePath' | 'dataDir' | 'tokenEncryptionKey'>,
  logger: Logger,
  now: number = Date.now(),
): SqliteStore {
  const key = loadEncryptionKey({ configuredKey: config.tokenEncryptionKey, dataDir: config.dataDir, logger });
  const cipher = createTokenCipher(key);
  const db = openDatabase(config.databasePath, { logger });
  try {
    verifyEncryptionKey(db, cipher, now);
  } catch (err) {
    db.close();
    throw err;
  }
  return createSqliteStore(db, cipher);
}
