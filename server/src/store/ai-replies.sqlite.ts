import type { AiRepliesStore, AiReplyRecord, AiReplyStatus, AiReplyUpdate } from './ai-replies.store';
import type { SqliteDatabase } from './db';

export interface ReplyRow {
  request_key: string;
  session_id: string;
  status: AiReplyStatus;
  text: string | null;
  reason: string | null;
  hubspot_message_id: string | null;
  send_started_at: number | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export const FINAL: readonly AiReplyStatus[] = ['answered', 'handoff'];

export const COLUMNS: Record<keyof AiReplyUpdate, string> = {
  status: 'status',
  text: 'text',
  reason: 'reason',
  hubspotMessageId: 'hubspot_message_id',
  sendStartedAt: 'send_started_at',
};

export function createAiRepliesSqlite(db: SqliteDatabase): AiRepliesStore {
  const insert = db.prepare(
    `INSERT INTO ai_replies (request_key, session_id, status, lease_until, created_at, updated_at)
     VALUES (?, ?, 'pending', ?, ?, ?) ON CONFLICT (request_key) DO NOTHING`,
  );
  const select = db.prepare<[string], ReplyRow>('SELECT * FROM ai_replies WHERE request_key = ?');
  // The guard makes a takeover atomic across processes: only one can move an expired (or released) lease.
  const takeOver = db.prepare(
    `UPDATE ai_replies SET lease_until = ?, updated_at = ?
     WHERE request_key = ? AND status NOT IN ('answered', 'handoff') AND (lease_until IS NULL OR lease_until <= ?)`,
  );
  const forget = db.prepare("DELETE FROM ai_replies WHERE request_key = ? AND status = 'pending'");
  const unlease = db.prepare('UPDATE ai_replies SET lease_until = NULL WHERE request_key = ?');
  const updates = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const dropUnfinished = db.prepare(
    "DELETE FROM ai_replies WHERE session_id = ? AND status NOT IN ('answered', 'handoff')",
  );
  const blank = db.prepare(
    `UPDATE ai_replies SET text = CASE WHEN text IS NULL THEN NULL ELSE '' END,
       reason = CASE WHEN reason IS NULL THEN NULL ELSE '' END, updated_at = ?
     WHERE session_id = ? AND (text <> '' OR reason <> '')`,
  );

  const read = (key: string) => {
    const row = select.get(key);
    return row ? toRecord(row) : null;
  };

  return {
    async acquire(requestKey, sessionId, now, leaseMs) {
      if (insert.run(requestKey, sessionId, now + leaseMs, now, now).changes > 0) {
        return { kind: 'acquired', record: read(requestKey)! };
      }
      const existing = read(requestKey)!;
      if (FINAL.includes(existing.status)) return { kind: 'final', record: existing };
      if (takeOver.run(now + leaseMs, now, requestKey, now).changes === 0) {
        const current = read(requestKey)!;
        return FINAL.includes(current.status)
          ? { kind: 'final', record: current }
          : { kind: 'busy', leaseUntil: current.leaseUntil ?? now };
      }
      return { kind: 'acquired', record: read(requestKey)! };
    },

    async update(requestKey, update, now) {
      const fields = (Object.keys(update) as (keyof AiReplyUpdate)[]).filter((k) => update[k] !== undefined);
      const final = update.status !== undefined && FINAL.includes(update.status);
      const sql = `UPDATE ai_replies SET ${[...fields.map((f) => `${COLUMNS[f]} = @${f}`), ...(final ? ['lease_until = NULL'] : []), 'updated_at = @now'].join(', ')}
        WHERE request_key = @requestKey`;
      let statement = updates.get(sql);
      if (!statement) updates.set(sql, (statement = db.prepare(sql)));
      statement.run({ ...Object.fromEntries(fields.map((f) => [f, update[f]])), now, requestKey });
    },

    async release(requestKey, options) {
      if (options.forget && forget.run(requestKey).changes > 0) return;
      unlease.run(requestKey);
    },

    async get(requestKey) {
      return read(requestKey);
    },

    async eraseBySession(sessionId, now) {
      // Unfinished requests would post erased words: they go; finished ones keep their row, not their text.
      return dropUnfinished.run(sessionId).changes + blank.run(now, sessionId).changes;
    },
  };
}

export function toRecord(row: ReplyRow): AiReplyRecord {
  return {
    requestKey: row.request_key,
    sessionId: row.session_id,
    status: row.status,
    text: row.text,
    reason: row.reason,
    hubspotMessageId: row.hubspot_message_id,
    sendStartedAt: row.send_started_at,
    leaseUntil: row.lease_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
