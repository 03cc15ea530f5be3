import type {
  ActionAnswer,
  ActionExecution,
  ActionExecutionsStore,
  ActionExecutionStatus,
  ActionWork,
  OutputFields,
} from './action-executions.store';
import type { SqliteDatabase } from './db';
import { clipNote, fromJson, toJson } from './sqlite-values';

export interface ExecutionRow {
  callback_id: string;
  portal_id: number;
  action: ActionExecution['action'];
  request: string;
  status: ActionExecutionStatus;
  response: string;
  completion: string | null;
  work: string | null;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}


export function createActionExecutionsSqlite(db: SqliteDatabase): ActionExecutionsStore {
  const byId = db.prepare<[string], ExecutionRow>('SELECT * FROM action_executions WHERE callback_id = ?');
  // DO NOTHING on the key only: the first writer's row stays, whatever the second one carried.
  const insert = db.prepare(
    `INSERT INTO action_executions
       (callback_id, portal_id, action, request, status, response, work, attempts, next_attempt_at, created_at, updated_at)
     VALUES (@callbackId, @portalId, @action, @request, @status, @response, @work, 0, @nextAttemptAt, @now, @now)
     ON CONFLICT (callback_id) DO NOTHING`,
  );
  const claim = db.prepare<{ now: number; limit: number; leaseUntil: number }, ExecutionRow>(
    `UPDATE action_executions SET lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @now
     WHERE callback_id IN (
       SELECT callback_id FROM action_executions
       WHERE status IN ('awaiting_ai', 'completing') AND next_attempt_at <= @now
         AND (lease_until IS NULL OR lease_until <= @now)
       ORDER BY next_attempt_at
       LIMIT @limit)
     RETURNING *`,
  );
  const complete = db.prepare(
    `UPDATE action_executions SET status = 'completing', completion = ?, attempts = 1, next_attempt_at = ?,
       last_error = NULL, updated_at = ?
     WHERE callback_id = ?`,
  );
  const saveWork = db.prepare('UPDATE action_executions SET work = ?, updated_at = ? WHERE callback_id = ?');
  const done = db.prepare(
    `UPDATE action_executions SET status = 'completed', lease_until = NULL, next_attempt_at = NULL, last_error = NULL,
       completed_at = ?, updated_at = ?
     WHERE callback_id = ?`,
  );
  const retry = db.prepare(
    `UPDATE action_executions SET lease_until = NULL, next_attempt_at = ?, last_error = ?, updated_at = ?
     WHERE callback_id = ?`,
  );
  const giveUp = db.prepare(
    `UPDATE action_executions SET status = ?, lease_until = NULL, next_attempt_at = NULL, last_error = ?,
       completed_at = ?, updated_at = ?
     WHERE callback_id = ?`,
  );

  return {
    async get(callbackId) {
      const row = byId.get(callbackId);
      return row ? toExecution(row) : null;
    },

    async insertFirst(execution, now) {
      const work = execution.work ?? null;
      const inserted =
        insert.run({
          callbackId: execution.callbackId,
          portalId: execution.portalId,
          action: execution.action,
          request: toJson(execution.request ?? null),
          status: work ? 'awaiting_ai' : 'answered',
          response: toJson(execution.answer),
          work: work ? toJson(work) : null,
          nextAttemptAt: work ? now : null,
          now,
        }).changes > 0;
      return { inserted, execution: toExecution(byId.get(execution.callbackId)!) };
    },

    async claimDue({ now, limit, leaseMs }) {
      return claim
        .all({ now, limit, leaseUntil: now + leaseMs })
        .map(toExecution)
        .sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0));
    },

    async updateWork(callbackId, work, now) {
      saveWork.run(toJson(work), now, callbackId);
    },

    async setCompletion(callbackId, completion, now) {
      complete.run(toJson(completion), now, now, callbackId);
    },

    async markCompleted(callbackId, now) {
      done.run(now, now, callbackId);
    },

    async scheduleRetry(callbackId, error, nextAttemptAt, now) {
      retry.run(nextAttemptAt, clipNote(error), now, callbackId);
    },

    async markGivenUp(callbackId, status, error, now) {
      giveUp.run(status, clipNote(error), now, now, callbackId);
    },
  };
}

export function toExecution(row: ExecutionRow): ActionExecution {
  return {
    callbackId: row.callback_id,
    portalId: row.portal_id,
    action: row.action,
    request: fromJson<unknown>(row.request, 'action_executions.request'),
    status: row.status,
    answer: fromJson<ActionAnswer>(row.response, 'action_executions.response'),
    completion: row.completion === null ? null : fromJson<OutputFields>(row.completion, 'action_executions.completion'),
    work: row.work === null ? null : fromJson<ActionWork>(row.work, 'action_executions.work'),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
