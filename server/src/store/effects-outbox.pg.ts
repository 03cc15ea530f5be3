import { claimLaneHeads } from './claim.pg';
import { toClaimedEffect, type ClaimedRow } from './effects-outbox.sqlite';
import type { EffectsOutboxStore } from './effects-outbox.store';
import type { Sql } from './pg-sql';
import { clipNote, toJson } from './sqlite-values';

// An effect runs only after every earlier effect of its session has finished, and never beside another of its
// session (the one-per-session unique index of 007 backs this across instances).
const CLAIM = `
  UPDATE effects_outbox u SET status = 'processing', attempts = u.attempts + 1, lease_until = $2, updated_at = $1
  FROM (
    SELECT o.id FROM effects_outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= $1
      AND NOT EXISTS (
        SELECT 1 FROM effects_outbox e WHERE e.session_id = o.session_id AND e.status IN ('pending', 'processing')
          AND (e.id < o.id OR e.status = 'processing'))
    ORDER BY o.next_attempt_at, o.id
    LIMIT $3
    FOR UPDATE SKIP LOCKED) head
  WHERE u.id = head.id
  RETURNING u.id, u.session_id, u.portal_id, u.effect, u.attempts, u.lease_until`;

export function createEffectsOutboxPg(sql: Sql): EffectsOutboxStore {
  const finish = (status: 'done' | 'dead', id: number, attempts: number, error: string | null, now: number) =>
    sql.run(
      `UPDATE effects_outbox SET status = $1, lease_until = NULL, last_error = $2, updated_at = $3
       WHERE id = $4 AND status = 'processing' AND attempts = $5`,
      [status, error, now, id, attempts],
    );

  return {
    async enqueue(entries, now) {
      if (entries.length === 0) return;
      await sql.run(
        `INSERT INTO effects_outbox (session_id, portal_id, effect, status, attempts, next_attempt_at, created_at, updated_at)
         SELECT e.session_id, e.portal_id, e.effect, 'pending', 0, $4, $4, $4
         FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS e(session_id, portal_id, effect, n)
         ORDER BY e.n`,
        [entries.map((e) => e.sessionId), entries.map((e) => e.portalId), entries.map((e) => toJson(e.effect)), now],
      );
    },

    async claimDue({ now, limit, leaseMs }) {
      const rows = await claimLaneHeads(sql, { table: 'effects_outbox', now, claim: () => sql.rows<ClaimedRow>(CLAIM, [now, now + leaseMs, limit]) });
      // RETURNING gives rows in no particular order; workers expect the decided order.
      return rows.sort((a, b) => a.id - b.id).map(toClaimedEffect);
    },

    async markDone(id, attempts, now) {
      return (await finish('done', id, attempts, null, now)) > 0;
    },

    async markFailed(id, attempts, error, retryAt, now) {
      if (retryAt === null) return (await finish('dead', id, attempts, clipNote(error), now)) > 0 ? 'dead' : 'lost';
      const changed = await sql.run(
        `UPDATE effects_outbox SET status = 'pending', next_attempt_at = $1, lease_until = NULL, last_error = $2, updated_at = $3
         WHERE id = $4 AND status = 'processing' AND attempts = $5`,
        [retryAt, clipNote(error), now, id, attempts],
      );
      return changed > 0 ? 'retrying' : 'lost';
    },

    async countUnfinished() {
      const rows = await sql.rows<{ type: string; n: number }>(
        `SELECT effect::jsonb ->> 'type' AS type, count(*) AS n FROM effects_outbox WHERE status IN ('pending', 'processing') GROUP BY 1`,
      );
      return Object.fromEntries(rows.map((row) => [row.type, row.n]));
    },
  };
}
