import type { SqliteDatabase } from './db';
import type { OAuthStateRecord, OAuthStatesStore } from './oauth-states.store';

export interface StateRow {
  nonce_hash: string;
  organization_id: string;
  admin_id: string;
  session_hash: string;
  expires_at: number;
  used_at: number | null;
}

// A used state is kept a while after it expires, so that a replay is reported as "already used", not "unknown".
export const KEEP_USED_MS = 24 * 60 * 60_000;

export function createOAuthStatesSqlite(db: SqliteDatabase): OAuthStatesStore {
  const insert = db.prepare(
    `INSERT INTO oauth_states (nonce_hash, organization_id, admin_id, session_hash, expires_at, used_at, created_at)
     VALUES (@nonceHash, @organizationId, @adminId, @sessionHash, @expiresAt, NULL, @now)`,
  );
  const byHash = db.prepare<[string], StateRow>('SELECT * FROM oauth_states WHERE nonce_hash = ?');
  const use = db.prepare('UPDATE oauth_states SET used_at = ? WHERE nonce_hash = ? AND used_at IS NULL AND expires_at > ?');
  const removeOld = db.prepare('DELETE FROM oauth_states WHERE expires_at <= ?');

  return {
    async save(state, now) {
      insert.run({ ...state, now });
    },
    async find(nonceHash) {
      const row = byHash.get(nonceHash);
      return row ? toRecord(row) : null;
    },
    async consume(nonceHash, now) {
      const won = use.run(now, nonceHash, now).changes === 1;
      const row = byHash.get(nonceHash);
      if (!row) return { refused: 'unknown' };
      if (won) return { state: toRecord(row) };
      return { refused: row.used_at !== null ? 'used' : 'expired' };
    },
    async deleteExpired(now) {
      return removeOld.run(now - KEEP_USED_MS).changes;
    },
  };
}

export function toRecord(row: StateRow): OAuthStateRecord {
  return {
    nonceHash: row.nonce_hash,
    organizationId: row.organization_id,
    adminId: row.admin_id,
    sessionHash: row.session_hash,
    expiresAt: row.expires_at,
  };
}
