import type { AiAuditEvent, AiControl, AiControlState } from '@opencx/shared';
import { AppError } from '../errors';
import type { AiControlStore } from './ai-control.store';
import type { SqliteDatabase } from './db';
import { fromJson, isUniqueViolation, toJson } from './sqlite-values';

interface ControlRow {
  state: string;
  handoff_request_ids: string;
  version: number;
}

interface EventRow {
  type: AiAuditEvent['type'];
  at: number;
  actor: string;
  detail: string;
}

export function createAiControlSqlite(db: SqliteDatabase): AiControlStore {
  const select = db.prepare<[string], ControlRow>(
    'SELECT state, handoff_request_ids, version FROM ai_control WHERE session_id = ?',
  );
  const insert = db.prepare(
    `INSERT INTO ai_control (session_id, status, state, handoff_request_ids, paused_until, version, updated_at)
     VALUES (@sessionId, @status, @state, @handoffRequestIds, @pausedUntil, 1, @now)`,
  );
  const update = db.prepare(
    `UPDATE ai_control SET status = @status, state = @state, handoff_request_ids = @handoffRequestIds,
       paused_until = @pausedUntil, version = version + 1, updated_at = @now
     WHERE session_id = @sessionId AND version = @expectedVersion`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO ai_control_events (session_id, type, at, actor, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const selectEvents = db.prepare<[string, number], EventRow>(
    'SELECT type, at, actor, detail FROM ai_control_events WHERE session_id = ? ORDER BY id DESC LIMIT ?',
  );
  // Written to match the partial index ai_control_timed_resumes (its WHERE terms must appear here).
  const selectDue = db.prepare<[number, number], { session_id: string; paused_until: number }>(
    `SELECT session_id, paused_until FROM ai_control
     WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?
     ORDER BY paused_until LIMIT ?`,
  );

  const conflict = (sessionId: string, cause?: unknown) =>
    new AppError('version_conflict', `The AI status of session ${sessionId} changed meanwhile; try again`, { cause });

  return {
    async load(sessionId) {
      const row = select.get(sessionId);
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
      const params = { sessionId, now, expectedVersion, ...columnsOf(control) };
      if (expectedVersion === null) {
        try {
          insert.run(params);
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(sessionId, err);
          throw err;
        }
        return 1;
      }
      if (update.run(params).changes === 0) throw conflict(sessionId);
      return expectedVersion + 1;
    },

    async appendEvents(sessionId, events) {
      for (const event of events) {
        insertEvent.run(sessionId, event.type, event.at, toJson(event.actor), toJson(event.detail));
      }
    },

    async listEvents(sessionId, limit) {
      return selectEvents.all(sessionId, limit).map((row) => ({
        type: row.type,
        at: row.at,
        actor: fromJson<AiAuditEvent['actor']>(row.actor, 'ai_control_events.actor'),
        detail: fromJson<AiAuditEvent['detail']>(row.detail, 'ai_control_events.detail'),
      }));
    },

    async listDueTimedResumes(now, limit = 100) {
      return selectDue.all(now, limit).map((row) => ({ sessionId: row.session_id, until: row.paused_until }));
    },
  };
}

export function columnsOf(control: AiControl) {
  const state = control.state;
  return {
    status: state.status,
    state: toJson(state),
    handoffRequestIds: toJson(control.handoffRequestIds),
    pausedUntil: state.status === 'paused' ? state.until : null,
  };
}
