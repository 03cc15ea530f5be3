import { claimableIdsSql } from './claim-sql';
import type { SqliteDatabase } from './db';
import type { ClaimedEffect, EffectsOutboxStore, OutboxEffect } from './effects-outbox.store';
import { clipNote, fromJson, toJson } from './sqlite-values';

export interface ClaimedRow {
  id: number;
  session_id: string;
  portal_id: number;
  effect: string;
  attempts: number;
  lease_until: number;
}


export function createEffectsOutboxSqlite(db: SqliteDatabase): EffectsOutboxStore {
  const insert = db.prepare(
    `INSERT INTO effects_outbox (session_id, portal_id, effect, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  // An effect runs only after every earlier effect of its session has finished (SESSION_HEAD, answered by the
  // unfinished-rows index of 006), so a claim costs the same with ten or a million finished effects.
  const SESSION_HEAD = `NOT EXISTS (
    SELECT 1 FROM effects_outbox earlier INDEXED BY effects_outbox_open
    WHERE earlier.session_id = o.session_id AND earlier.id < o.id AND earlier.status IN ('pending', 'processing'))`;
  const claim = db.prepare<{ now: number; limit: number; leaseUntil: number }, ClaimedRow>(
    `UPDATE effects_outbox
     SET status = 'processing', attempts = attempts + 1, lease_until = @leaseUntil, updated_at = @now
     WHERE id IN (${claimableIdsSql({ table: 'effects_outbox', alias: 'o', dueIndex: 'effects_outbox_due', head: SESSION_HEAD })})
     RETURNING id, session_id, portal_id, effect, attempts, lease_until`,
  );
  const done = db.prepare<{ id: number; attempts: number; now: number }>(
    `UPDATE effects_outbox SET status = 'done', lease_until = NULL, last_error = NULL, updated_at = @now
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  const retry = db.prepare<{ id: number; attempts: number; retryAt: number; error: string; now: number }>(
    `UPDATE effects_outbox SET status = 'pending', next_attempt_at = @retryAt, lease_until = NULL, last_error = @error, updated_at = @now
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  const dead = db.prepare<{ id: number; attempts: number; error: string; now: number }>(
    `UPDATE effects_outbox SET status = 'dead', lease_until = NULL, last_error = @error, updated_at = @now
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  const unfinished = db.prepare<[], { type: string; n: number }>(
    `SELECT json_extract(effect, '$.type') AS type, count(*) AS n FROM effects_outbox
     WHERE status IN ('pending', 'processing') GROUP BY 1`,
  );

  return {
    async enqueue(entries, now) {
      for (const entry of entries) insert.run(entry.sessionId, entry.portalId, toJson(entry.effect), now, now, now);
    },

    async claimDue({ now, limit, leaseMs }) {
      // RETURNING gives rows in no particular order; workers expect the decided order.
      return claim
        .all({ now, limit, leaseUntil: now + leaseMs })
        .sort((a, b) => a.id - b.id)
        .map(toClaimedEffect);
    },

    async markDone(id, attempts, now) {
      return done.run({ id, attempts, now }).changes > 0;
    },

    async markFailed(id, attempts, error, retryAt, now) {
      const params = { id, attempts, error: clipNote(error), now };
      if (retryAt === null) return dead.run(params).changes > 0 ? 'dead' : 'lost';
      return retry.run({ ...params, retryAt }).changes > 0 ? 'retrying' : 'lost';
    },

    async countUnfinished() {
      return Object.fromEntries(unfinished.all().map((row) => [row.type, row.n]));
    },
  };
}

export function toClaimedEffect(row: ClaimedRow): ClaimedEffect {
  return {
    id: row.id,
    sessionId: row.session_id,
    portalId: row.portal_id,
    effect: fromJson<OutboxEffect>(row.effect, 'effects_outbox.effect'),
    attempts: row.attempts,
    leaseUntil: row.lease_until,
  };
}
