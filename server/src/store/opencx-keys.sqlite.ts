import type { TokenCipher } from '../crypto/token-cipher';
import type { SqliteDatabase } from './db';
import { keyEndingOf, keyRecordOf, opencxKeyContext, type OpenCxKeyRow, type OpenCxKeysStore } from './opencx-keys.store';

export function createOpenCxKeysSqlite(db: SqliteDatabase, cipher: TokenCipher): OpenCxKeysStore {
  const select = db.prepare<[string], OpenCxKeyRow>('SELECT * FROM opencx_api_keys WHERE organization_id = ?');
  const upsert = db.prepare(
    `INSERT INTO opencx_api_keys (organization_id, api_key_enc, key_ending, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (organization_id) DO UPDATE SET api_key_enc = excluded.api_key_enc, key_ending = excluded.key_ending,
       updated_at = excluded.updated_at, last_error_code = NULL, last_error_message = NULL, last_error_at = NULL`,
  );
  const remove = db.prepare('DELETE FROM opencx_api_keys WHERE organization_id = ?');
  const setError = db.prepare('UPDATE opencx_api_keys SET last_error_code = ?, last_error_message = ?, last_error_at = ? WHERE organization_id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM opencx_api_keys');
  return {
    async get(organizationId) {
      const row = select.get(organizationId);
      return row ? keyRecordOf(row, (envelope, context) => cipher.decrypt(envelope, context)) : null;
    },
    async save(organizationId, apiKey, now) {
      upsert.run(organizationId, cipher.encrypt(apiKey, opencxKeyContext(organizationId)), keyEndingOf(apiKey), now);
    },
    async remove(organizationId) {
      return remove.run(organizationId).changes > 0;
    },
    async recordError(organizationId, { code, message, at }) {
      setError.run(code, message, at, organizationId);
    },
    async clearError(organizationId) {
      setError.run(null, null, null, organizationId);
    },
    async countConfigured() {
      return count.get()!.n;
    },
  };
}
