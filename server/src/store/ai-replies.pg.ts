import type { AiRepliesStore, AiReplyUpdate } from './ai-replies.store';
import type { Sql } from './pg-sql';
import { COLUMNS, FINAL, toRecord, type ReplyRow } from './ai-replies.sqlite';

export function createAiRepliesPg(sql: Sql): AiRepliesStore {
  const read = async (key: string) => {
    const row = await sql.one<ReplyRow>('SELECT * FROM ai_replies WHERE request_key = $1', [key]);
    return row ? toRecord(row) : null;
  };

  return {
    async acquire(requestKey, sessionId, now, leaseMs) {
      const inserted = await sql.run(
        `INSERT INTO ai_replies (request_key, session_id, status, lease_until, created_at, updated_at)
         VALUES ($1, $2, 'pending', $3, $4, $4) ON CONFLICT (request_key) DO NOTHING`,
        [requestKey, sessionId, now + leaseMs, now],
      );
      if (inserted > 0) return { kind: 'acquired', record: (await read(requestKey))! };
      const existing = (await read(requestKey))!;
      if (FINAL.includes(existing.status)) return { kind: 'final', record: existing };
      // The guard makes a takeover atomic across instances: only one can move an expired (or released) lease.
      const taken = await sql.run(
        `UPDATE ai_replies SET lease_until = $1, updated_at = $2
         WHERE request_key = $3 AND status NOT IN ('answered', 'handoff') AND (lease_until IS NULL OR lease_until <= $2)`,
        [now + leaseMs, now, requestKey],
      );
      if (taken === 0) {
        const current = (await read(requestKey))!;
        return FINAL.includes(current.status) ? { kind: 'final', record: current } : { kind: 'busy', leaseUntil: current.leaseUntil ?? now };
      }
      return { kind: 'acquired', record: (await read(requestKey))! };
    },

    async update(requestKey, update, now) {
      const fields = (Object.keys(update) as (keyof AiReplyUpdate)[]).filter((k) => update[k] !== undefined);
      const final = update.status !== undefined && FINAL.includes(update.status);
      const sets = [...fields.map((f, i) => `${COLUMNS[f]} = $${i + 3}`), ...(final ? ['lease_until = NULL'] : []), 'updated_at = $2'];
      await sql.run(`UPDATE ai_replies SET ${sets.join(', ')} WHERE request_key = $1`, [requestKey, now, ...fields.map((f) => update[f])]);
    },

    async release(requestKey, options) {
      if (options.forget && (await sql.run("DELETE FROM ai_replies WHERE request_key = $1 AND status = 'pending'", [requestKey])) > 0) return;
      await sql.run('UPDATE ai_replies SET lease_until = NULL WHERE request_key = $1', [requestKey]);
    },

    async get(requestKey) {
      return read(requestKey);
    },

    async eraseBySession(sessionId, now) {
      // Unfinished requests would post erased words: they go; finished ones keep their row, not their text.
      const dropped = await sql.run("DELETE FROM ai_replies WHERE session_id = $1 AND status NOT IN ('answered', 'handoff')", [sessionId]);
      const blanked = await sql.run(
        `UPDATE ai_replies SET text = CASE WHEN text IS NULL THEN NULL ELSE '' END,
           reason = CASE WHEN reason IS NULL THEN NULL ELSE '' END, updated_at = $1
         WHERE session_id = $2 AND (text <> '' OR reason <> '')`,
        [now, sessionId],
      );
      return dropped + blanked;
    },
  };
}
