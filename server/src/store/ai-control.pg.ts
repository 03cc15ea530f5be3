import type { AiAuditEvent, AiControlState } from '@opencx/shared';
import { AppError } from '../errors';
import type { AiControlStore } from './ai-control.store';
import { isPgUniqueViolation, type Sql } from './pg-sql';
import { columnsOf } from './ai-control.sqlite';
import { fromJson, toJson } from './sqlite-values';

interface EventRow {
  type: AiAuditEvent['type'];
  at: number;
  actor: string;
  detail: string;
}

export function createAiControlPg(sql: Sql): AiControlStore {
  const conflict = (sessionId: string, cause?: unknown) =>
    new AppError('version_conflict', `The AI status of session ${sessionId} changed meanwhile; try again`, { cause });

  return {
    async load(sessionId) {
      const row = await sql.one<{ state: string; handoff_request_ids: string; version: number }>(
        'SELECT state, handoff_request_ids, version FROM ai_control WHERE session_id = $1',
        [sessionId],
      );
      if (!row) return null;
      return {
        control: {
          state: fromJson<AiControlState>(row.state, 'ai_control.state'),
          handoffRequestIds: fromJson<string[]>(row.handoff_request_ids, 'ai_control.handoff_request_ids'),
        },
        version: row.version,
      };
    },

    async save(sessionId, control, expectedVersion, now) {
      const c = columnsOf(control);
      if (expectedVersion === null) {
        try {
          await sql.run(
            `INSERT INTO ai_control (session_id, status, state, handoff_request_ids, paused_until, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, 1, $6)`,
            [sessionId, c.status, c.state, c.handoffRequestIds, c.pausedUntil, now],
          );
        } catch (err) {
          if (isPgUniqueViolation(err)) throw conflict(sessionId, err);
          throw err;
        }
        return 1;
      }
      // Under READ COMMITTED a concurrent writer's UPDATE makes this one wait, then find the version moved on.
      const changed = await sql.run(
        `UPDATE ai_control SET status = $2, state = $3, handoff_request_ids = $4, paused_until = $5, version = version + 1, updated_at = $6
         WHERE session_id = $1 AND version = $7`,
        [sessionId, c.status, c.state, c.handoffRequestIds, c.pausedUntil, now, expectedVersion],
      );
      if (changed === 0) throw conflict(sessionId);
      return expectedVersion + 1;
    },

    async appendEvents(sessionId, events) {
      if (events.length === 0) return;
      await sql.run(
        `INSERT INTO ai_control_events (session_id, type, at, actor, detail)
         SELECT $1, e.type, e.at, e.actor, e.detail
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY AS e(type, at, actor, detail, n)
         ORDER BY e.n`,
        [sessionId, events.map((e) => e.type), events.map((e) => e.at), events.map((e) => toJson(e.actor)), events.map((e) => toJson(e.detail))],
      );
    },

    async listEvents(sessionId, limit) {
      const rows = await sql.rows<EventRow>('SELECT type, at, actor, detail FROM ai_control_events WHERE session_id = $1 ORDER BY id DESC LIMIT $2', [
        sessionId,
        limit,
      ]);
      return rows.map((row) => ({
        type: row.type,
        at: row.at,
        actor: fromJson<AiAuditEvent['actor']>(row.actor, 'ai_control_events.actor'),
        detail: fromJson<AiAuditEvent['detail']>(row.detail, 'ai_control_events.detail'),
      }));
    },

    async listDueTimedResumes(now, limit = 100) {
      const rows = await sql.rows<{ session_id: string; paused_until: number }>(
        `SELECT session_id, paused_until FROM ai_control
         WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= $1
         ORDER BY paused_until LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => ({ sessionId: row.session_id, until: row.paused_until }));
    },
  };
}
