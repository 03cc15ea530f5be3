import { toExecution, type ExecutionRow } from './action-executions.sqlite';
import type { ActionExecutionsStore } from './action-executions.store';
import type { Sql } from './pg-sql';
import { clipNote, toJson } from './sqlite-values';

export function createActionExecutionsPg(sql: Sql): ActionExecutionsStore {
  const byId = (callbackId: string) => sql.one<ExecutionRow>('SELECT * FROM action_executions WHERE callback_id = $1', [callbackId]);
  return {
    async get(callbackId) {
      const row = await byId(callbackId);
      return row ? toExecution(row) : null;
    },

    async insertFirst(execution, now) {
      const work = execution.work ?? null;
      // DO NOTHING on the key only: the first writer's row stays, whatever the second one carried.
      const inserted =
        (await sql.run(
          `INSERT INTO action_executions
             (callback_id, portal_id, action, request, status, response, work, attempts, next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $9)
           ON CONFLICT (callback_id) DO NOTHING`,
          [
            execution.callbackId,
            execution.portalId,
            execution.action,
            toJson(execution.request ?? null),
            work ? 'awaiting_ai' : 'answered',
            toJson(execution.answer),
            work ? toJson(work) : null,
            work ? now : null,
            now,
          ],
        )) > 0;
      return { inserted, execution: toExecution((await byId(execution.callbackId))!) };
    },

    async claimDue({ now, limit, leaseMs }) {
      // SKIP LOCKED: instances claiming at the same moment take different rows instead of queueing on one.
      const rows = await sql.rows<ExecutionRow>(
        `UPDATE action_executions a SET lease_until = $2, attempts = a.attempts + 1, updated_at = $1
         FROM (
           SELECT callback_id FROM action_executions
           WHERE status IN ('awaiting_ai', 'completing') AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY next_attempt_at LIMIT $3
           FOR UPDATE SKIP LOCKED) due
         WHERE a.callback_id = due.callback_id
         RETURNING a.*`,
        [now, now + leaseMs, limit],
      );
      return rows.map(toExecution).sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0));
    },

    async updateWork(callbackId, work, now) {
      await sql.run('UPDATE action_executions SET work = $1, updated_at = $2 WHERE callback_id = $3', [toJson(work), now, callbackId]);
    },

    async setCompletion(callbackId, completion, now) {
      await sql.run(
        `UPDATE action_executions SET status = 'completing', completion = $1, attempts = 1, next_attempt_at = $2,
           last_error = NULL, updated_at = $2
         WHERE callback_id = $3`,
        [toJson(completion), now, callbackId],
      );
    },

    async markCompleted(callbackId, now) {
      await sql.run(
        `UPDATE action_executions SET status = 'completed', lease_until = NULL, next_attempt_at = NULL, last_error = NULL,
           completed_at = $1, updated_at = $1
         WHERE callback_id = $2`,
        [now, callbackId],
      );
    },

    async scheduleRetry(callbackId, error, nextAttemptAt, now) {
      await sql.run('UPDATE action_executions SET lease_until = NULL, next_attempt_at = $1, last_error = $2, updated_at = $3 WHERE callback_id = $4', [
        nextAttemptAt,
        clipNote(error),
        now,
        callbackId,
      ]);
    },

    async markGivenUp(callbackId, status, error, now) {
      await sql.run(
        `UPDATE action_executions SET status = $1, lease_until = NULL, next_attempt_at = NULL, last_error = $2,
           completed_at = $3, updated_at = $3
         WHERE callback_id = $4`,
        [status, clipNote(error), now, callbackId],
      );
    },
  };
}
