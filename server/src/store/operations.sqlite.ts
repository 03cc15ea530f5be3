import type { SqliteDatabase } from './db';
import { FINAL_ACTION_STATUSES, type DeadLetter, type DeadLetterSelection, type OperationsStore, type QueueFigures } from './operations.store';

const FINAL_ACTIONS = FINAL_ACTION_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * JSON text naming the contact id, as a string ("123") or a number (:123, or :123}) — not a longer id that
 * merely starts with it. Engines spell `instr` differently: `strpos` in PostgreSQL.
 */
export const namesContact = (column: string, find = 'instr', contact = '@contact', quoted = '@quoted') =>
  `(${find}(${column}, ${quoted}) > 0 OR ${find}(${column}, ':' || ${contact} || ',') > 0 OR ${find}(${column}, ':' || ${contact} || '}') > 0)`;

type FiguresRow = { unfinished: number; oldest: number | null; dead: number };
const toFigures = (r: FiguresRow): QueueFigures => ({ unfinished: r.unfinished, oldestUnfinishedAt: r.oldest, dead: r.dead });

/** Dead events and effects of a portal, newest first; placeholders and the JSON accessor differ per engine. */
export const deadLettersSql = (portal: string, limit: string, effectType: string) => `
  SELECT * FROM (
    SELECT 'event' AS kind, w.id, w.portal_id, coalesce(w.event_kind, w.subscription_type) AS what, w.ordering_key AS conversation,
      w.last_error, w.attempts, coalesce(w.processed_at, w.received_at) AS failed_at
    FROM webhook_inbox w WHERE w.status = 'dead' AND w.portal_id = ${portal}
    UNION ALL
    SELECT 'effect', o.id, o.portal_id, ${effectType}, s.thread_id, o.last_error, o.attempts, o.updated_at
    FROM effects_outbox o JOIN chat_sessions s ON s.id = o.session_id WHERE o.status = 'dead' AND o.portal_id = ${portal}
  ) d ORDER BY failed_at DESC, id DESC LIMIT ${limit}`;

export interface DeadLetterRow {
  kind: 'event' | 'effect';
  id: number;
  portal_id: number;
  what: string;
  conversation: string | null;
  last_error: string | null;
  attempts: number;
  failed_at: number;
}

export const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  kind: r.kind, id: r.id, portalId: r.portal_id, what: r.what, conversation: r.conversation, lastError: r.last_error, attempts: r.attempts, failedAt: r.failed_at,
});

export function createOperationsSqlite(db: SqliteDatabase): OperationsStore {
  const inboxFigures = db.prepare<[], FiguresRow>(
    `SELECT (SELECT count(*) FROM webhook_inbox WHERE status IN ('pending', 'processing')) AS unfinished,
            (SELECT min(received_at) FROM webhook_inbox WHERE status IN ('pending', 'processing')) AS oldest,
            (SELECT count(*) FROM webhook_inbox WHERE status = 'dead') AS dead`,
  );
  const outboxFigures = db.prepare<[], FiguresRow>(
    `SELECT (SELECT count(*) FROM effects_outbox WHERE status IN ('pending', 'processing')) AS unfinished,
            (SELECT min(created_at) FROM effects_outbox WHERE status IN ('pending', 'processing')) AS oldest,
            (SELECT count(*) FROM effects_outbox WHERE status = 'dead') AS dead`,
  );
  // Through the partial indexes of migration 009: oldest finished rows first, a bounded batch per statement.
  const pruneInbox = db.prepare(
    `DELETE FROM webhook_inbox WHERE id IN (
       SELECT id FROM webhook_inbox INDEXED BY webhook_inbox_finished
       WHERE status IN ('done', 'ignored') AND processed_at < ? ORDER BY processed_at LIMIT ?)`,
  );
  const pruneOutbox = db.prepare(
    `DELETE FROM effects_outbox WHERE id IN (
       SELECT id FROM effects_outbox INDEXED BY effects_outbox_done WHERE status = 'done' AND updated_at < ? ORDER BY updated_at LIMIT ?)`,
  );
  const pruneSteps = db.prepare(
    'DELETE FROM effect_steps WHERE step_key IN (SELECT step_key FROM effect_steps WHERE done_at < ? ORDER BY done_at LIMIT ?)',
  );
  const pruneActions = db.prepare(
    `DELETE FROM action_executions WHERE callback_id IN (
       SELECT callback_id FROM action_executions WHERE status IN (${FINAL_ACTIONS}) AND updated_at < ? ORDER BY updated_at LIMIT ?)`,
  );
  const prune = db.transaction((c: { inbox: number; outbox: number; actions: number }, limit: number) => ({
    inbox: pruneInbox.run(c.inbox, limit).changes,
    outbox: pruneOutbox.run(c.outbox, limit).changes,
    steps: pruneSteps.run(c.outbox, limit).changes,
    actions: pruneActions.run(c.actions, limit).changes,
  }));

  const dead = db.prepare<{ portal: number; limit: number }, DeadLetterRow>(deadLettersSql('@portal', '@limit', "json_extract(o.effect, '$.type')"));
  const retryEvents = db.prepare(
    `UPDATE webhook_inbox SET status = 'pending', attempts = 0, next_attempt_at = @now, processed_at = NULL
     WHERE status = 'dead' AND portal_id = @portal AND (@id IS NULL OR id = @id)`,
  );
  const retryEffects = db.prepare(
    `UPDATE effects_outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
     WHERE status = 'dead' AND portal_id = @portal AND (@id IS NULL OR id = @id)`,
  );
  const discardEvents = db.prepare(
    `UPDATE webhook_inbox SET status = 'ignored', note = 'discarded by an admin', processed_at = @now
     WHERE status = 'dead' AND portal_id = @portal AND (@id IS NULL OR id = @id)`,
  );
  const discardEffects = db.prepare("DELETE FROM effects_outbox WHERE status = 'dead' AND portal_id = @portal AND (@id IS NULL OR id = @id)");
  const onSelection = (events: typeof retryEvents, effects: typeof retryEffects) =>
    db.transaction((portal: number, which: DeadLetterSelection, now: number) => {
      const id = which === 'all' ? null : which.id;
      const runEvents = which === 'all' || which.kind === 'event';
      const runEffects = which === 'all' || which.kind === 'effect';
      return (runEvents ? events.run({ portal, id, now }).changes : 0) + (runEffects ? effects.run({ portal, id, now }).changes : 0);
    });
  const retry = onSelection(retryEvents, retryEffects);
  const discard = onSelection(discardEvents, discardEffects);

  const eraseSessions = db.prepare("UPDATE chat_sessions SET contact_id = NULL, updated_at = @now WHERE id IN (SELECT value FROM json_each(@ids))");
  const eraseState = db.prepare(
    `UPDATE ai_control SET state = json_set(state, '$.reason', CASE WHEN status = 'handoff_requested' THEN '' ELSE NULL END),
       version = version + 1, updated_at = @now
     WHERE session_id IN (SELECT value FROM json_each(@ids)) AND json_type(state, '$.reason') IS NOT NULL`,
  );
  const eraseAudit = db.prepare(
    `UPDATE ai_control_events SET detail = '{"erased":true}'
     WHERE session_id IN (SELECT value FROM json_each(@ids)) AND type <> 'personal_data_erased'`,
  );
  const eraseEffects = db.prepare('DELETE FROM effects_outbox WHERE session_id IN (SELECT value FROM json_each(@ids))');
  // The action's request names the contact (or a ticket of theirs); its work names the sessions and the instruction.
  const eraseActions = db.prepare(
    `UPDATE action_executions SET request = '{}', work = NULL, completion = NULL, last_error = NULL,
       status = CASE WHEN status IN (${FINAL_ACTIONS}) THEN status ELSE 'completion_failed' END, lease_until = NULL, updated_at = @now
     WHERE portal_id = @portal AND (${namesContact('request')}
       OR EXISTS (SELECT 1 FROM json_each(@ids) i WHERE instr(coalesce(work, ''), i.value) > 0))`,
  );
  const eraseEvents = db.prepare(
    `UPDATE webhook_inbox SET payload = '{}', object_id = NULL, dedup_key = 'erased:' || id, ordering_key = 'erased:' || id
     WHERE portal_id = @portal AND status <> 'pending'
       AND (object_id = @contact OR ordering_key = 'contact:' || @portal || ':' || @contact OR ${namesContact('payload')})`,
  );
  const erase = db.transaction((portal: number, contact: string, ids: readonly string[], now: number) => {
    const p = { ids: JSON.stringify(ids), now };
    const q = { portal, contact, quoted: JSON.stringify(contact), now };
    return (
      eraseSessions.run(p).changes + eraseState.run(p).changes + eraseAudit.run({ ids: p.ids }).changes + eraseEffects.run({ ids: p.ids }).changes +
      eraseActions.run({ ...q, ids: p.ids }).changes + eraseEvents.run({ portal, contact, quoted: q.quoted }).changes
    );
  });

  return {
    async queueFigures() {
      return { inbox: toFigures(inboxFigures.get()!), outbox: toFigures(outboxFigures.get()!) };
    },
    async prune(cutoffs, limit) {
      return prune(cutoffs, limit);
    },
    async listDeadLetters(portalId, limit) {
      return dead.all({ portal: portalId, limit }).map(toDeadLetter);
    },
    async retryDeadLetters(portalId, which, now) {
      return retry(portalId, which, now);
    },
    async discardDeadLetters(portalId, which, now) {
      return discard(portalId, which, now);
    },
    async eraseContact(portalId, contactId, sessionIds, now) {
      return erase(portalId, contactId, sessionIds, now);
    },
  };
}
