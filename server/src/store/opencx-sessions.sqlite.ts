import type { SqliteDatabase } from './db';
import { linkOf, type OpenCxSessionRow, type OpenCxSessionsStore } from './opencx-sessions.store';

export function createOpenCxSessionsSqlite(db: SqliteDatabase): OpenCxSessionsStore {
  const select = db.prepare<[string], OpenCxSessionRow>('SELECT * FROM opencx_sessions WHERE session_id = ?');
  const insert = db.prepare(
    `INSERT INTO opencx_sessions (session_id, organization_id, opencx_session_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO NOTHING`,
  );
  const replace = db.prepare(
    `INSERT INTO opencx_sessions (session_id, organization_id, opencx_session_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET opencx_session_id = excluded.opencx_session_id, handed_off_at = NULL, closed_at = NULL, updated_at = excluded.updated_at`,
  );
  const forwarded = db.prepare('UPDATE opencx_sessions SET forwarded_until = max(forwarded_until, ?), updated_at = ? WHERE session_id = ?');
  const closed = db.prepare('UPDATE opencx_sessions SET closed_at = ?, updated_at = ? WHERE session_id = ?');
  const handedOff = db.prepare('UPDATE opencx_sessions SET handed_off_at = coalesce(handed_off_at, ?), updated_at = ? WHERE session_id = ?');
  return {
    async get(sessionId) {
      const row = select.get(sessionId);
      return row ? linkOf(row) : null;
    },
    async link({ sessionId, organizationId, opencxSessionId, replace: replacing }, now) {
      (replacing ? replace : insert).run(sessionId, organizationId, opencxSessionId, now, now);
      return linkOf(select.get(sessionId)!);
    },
    async markForwarded(sessionId, until, now) {
      forwarded.run(until, now, sessionId);
    },
    async markHandedOff(sessionId, now) {
      handedOff.run(now, now, sessionId);
    },
    async markClosed(sessionId, now) {
      closed.run(now, now, sessionId);
    },
  };
}
