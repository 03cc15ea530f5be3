import type { Sql } from './pg-sql';
import { linkOf, type OpenCxSessionRow, type OpenCxSessionsStore } from './opencx-sessions.store';

export function createOpenCxSessionsPg(sql: Sql): OpenCxSessionsStore {
  const select = async (sessionId: string) => sql.one<OpenCxSessionRow>('SELECT * FROM opencx_sessions WHERE session_id = $1', [sessionId]);
  return {
    async get(sessionId) {
      const row = await select(sessionId);
      return row ? linkOf(row) : null;
    },
    async link({ sessionId, organizationId, opencxSessionId, replace }, now) {
      const onConflict = replace
        ? 'DO UPDATE SET opencx_session_id = excluded.opencx_session_id, handed_off_at = NULL, closed_at = NULL, updated_at = excluded.updated_at'
        : 'DO NOTHING';
      await sql.run(
        `INSERT INTO opencx_sessions (session_id, organization_id, opencx_session_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (session_id) ${onConflict}`,
        [sessionId, organizationId, opencxSessionId, now],
      );
      return linkOf((await select(sessionId))!);
    },
    async markForwarded(sessionId, until, now) {
      await sql.run('UPDATE opencx_sessions SET forwarded_until = GREATEST(forwarded_until, $1), updated_at = $2 WHERE session_id = $3', [until, now, sessionId]);
    },
    async markHandedOff(sessionId, now) {
      await sql.run('UPDATE opencx_sessions SET handed_off_at = coalesce(handed_off_at, $1), updated_at = $1 WHERE session_id = $2', [now, sessionId]);
    },
    async markClosed(sessionId, now) {
      await sql.run('UPDATE opencx_sessions SET closed_at = $1, updated_at = $1 WHERE session_id = $2', [now, sessionId]);
    },
  };
}
