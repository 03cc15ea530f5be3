import type { TokenCipher } from '../crypto/token-cipher';
import type { Sql } from './pg-sql';
import { keyEndingOf, keyRecordOf, opencxKeyContext, type OpenCxKeyRow, type OpenCxKeysStore } from './opencx-keys.store';

export function createOpenCxKeysPg(sql: Sql, cipher: TokenCipher): OpenCxKeysStore {
  const setError = (organizationId: string, code: string | null, message: string | null, at: number | null) =>
    sql.run('UPDATE opencx_api_keys SET last_error_code = $1, last_error_message = $2, last_error_at = $3 WHERE organization_id = $4', [code, message, at, organizationId]);
  return {
    async get(organizationId) {
      const row = await sql.one<OpenCxKeyRow>('SELECT * FROM opencx_api_keys WHERE organization_id = $1', [organizationId]);
      return row ? keyRecordOf(row, (envelope, context) => cipher.decrypt(envelope, context)) : null;
    },
    async save(organizationId, apiKey, now) {
      await sql.run(
        `INSERT INTO opencx_api_keys (organization_id, api_key_enc, key_ending, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id) DO UPDATE SET api_key_enc = excluded.api_key_enc, key_ending = excluded.key_ending,
           updated_at = excluded.updated_at, last_error_code = NULL, last_error_message = NULL, last_error_at = NULL`,
        [organizationId, cipher.encrypt(apiKey, opencxKeyContext(organizationId)), keyEndingOf(apiKey), now],
      );
    },
    async remove(organizationId) {
      return (await sql.run('DELETE FROM opencx_api_keys WHERE organization_id = $1', [organizationId])) > 0;
    },
    async recordError(organizationId, { code, message, at }) {
      await setError(organizationId, code, message, at);
    },
    async clearError(organizationId) {
      await setError(organizationId, null, null, null);
    },
    async countConfigured() {
      return Number((await sql.one<{ n: string }>('SELECT count(*) AS n FROM opencx_api_keys'))!.n);
    },
  };
}
