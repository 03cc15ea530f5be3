import { KEEP_USED_MS, toRecord, type StateRow } from './oauth-states.sqlite';
import type { OAuthStatesStore } from './oauth-states.store';
import type { Sql } from './pg-sql';

export function createOAuthStatesPg(sql: Sql): OAuthStatesStore {
  const byHash = (nonceHash: string) => sql.one<StateRow>('SELECT * FROM oauth_states WHERE nonce_hash = $1', [nonceHash]);
  return {
    async save(s, now) {
      await sql.run(
        `INSERT INTO oauth_states (nonce_hash, organization_id, admin_id, session_hash, expires_at, used_at, created_at)
         VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
        [s.nonceHash, s.organizationId, s.adminId, s.sessionHash, s.expiresAt, now],
      );
    },
    async find(nonceHash) {
      const row = await byHash(nonceHash);
      return row ? toRecord(row) : null;
    },
    async consume(nonceHash, now) {
      const won = (await sql.run('UPDATE oauth_states SET used_at = $1 WHERE nonce_hash = $2 AND used_at IS NULL AND expires_at > $1', [now, nonceHash])) === 1;
      const row = await byHash(nonceHash);
      if (!row) return { refused: 'unknown' };
      if (won) return { state: toRecord(row) };
      return { refused: row.used_at !== null ? 'used' : 'expired' };
    },
    async deleteExpired(now) {
      return sql.run('DELETE FROM oauth_states WHERE expires_at <= $1', [now - KEEP_USED_MS]);
    },
  };
}
