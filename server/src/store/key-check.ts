import type { TokenCipher } from '../crypto/token-cipher';
import { TokenDecryptionError } from '../crypto/token-cipher';
import type { SqliteDatabase } from './db';

/** The app_meta row holding the encrypted marker (both engines). */
export const KEY_CHECK = 'token_key_check';
const KEY_CHECK_PLAINTEXT = 'opencx-token-key-check';

/**
 * Fails at start, with a clear message, when the encryption key is not the one this database's tokens were
 * written with (a new DATA_DIR, a lost key file, a mistyped TOKEN_ENCRYPTION_KEY) — instead of every HubSpot call
 * failing later. The first start records an encrypted marker; every later start decrypts it.
 */
export function verifyEncryptionKey(db: SqliteDatabase, cipher: TokenCipher, now: number): void {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?').get(KEY_CHECK);
  if (!row) {
    db.prepare('INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING').run(KEY_CHECK, newKeyMarker(cipher), now);
    return;
  }
  assertKeyMarker(row.value, cipher);
}

/** The marker a first start records. */
export const newKeyMarker = (cipher: TokenCipher): string => cipher.encrypt(KEY_CHECK_PLAINTEXT, `app_meta.${KEY_CHECK}`);

/** Throws the operator's message unless `marker` was written with this key. */
export function assertKeyMarker(marker: string, cipher: TokenCipher): void {
  try {
    if (cipher.decrypt(marker, `app_meta.${KEY_CHECK}`) === KEY_CHECK_PLAINTEXT) return;
  } catch (err) {
    if (!(err instanceof TokenDecryptionError)) throw err;
  }
  throw new Error(
    'the token encryption key does not match the one this database was written with: restore the previous ' +
      'TOKEN_ENCRYPTION_KEY (or DATA_DIR/token-encryption.key); without it the stored HubSpot tokens are unreadable',
  );
}
