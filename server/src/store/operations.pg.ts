import { deadLettersSql, namesContact, toDeadLetter, type DeadLetterRow } from './operations.sqlite';
import { FINAL_ACTION_STATUSES, type DeadLetterSelection, type OperationsStore, type QueueFigures } from './operations.store';
import type { Sql } from './pg-sql';

type FiguresRow = { unfinished: number; oldest: number | null; dead: number };
const toFigures = (r: FiguresRow | undefined): QueueFigures => ({ unfinished: r?.unfinished ?? 0, oldestUnfinishedAt: r?.oldest ?? null, dead: r?.dead ?? 0 });

const figuresSql = (table: string, createdAt: string) => `
  SELECT (SELECT count(*) FROM ${table} WHERE status IN ('pending', 'processing')) AS unfinished,
         (SELECT min(${createdAt}) FROM ${table} WHERE status IN ('pending', 'processing')) AS oldest,
         (SELECT count(*) FROM ${table} WHERE status = 'dead') AS dead`;

const DEAD_LETTERS = deadLettersSql('$1', '$2', "o.effect::jsonb ->> 'type'");

export function createOperationsPg(sql: Sql): OperationsStore {
  const selection = (which: DeadLetterSelection) => ({
    id: which === 'all' ? null : which.id,
    events: which === 'all' || which.kind === 'event',
    effects: which === 'all' || which.kind === 'effect',
  });
  return {
    async queueFigures() {
      const [inbox, outbox] = await Promise.all([
        sql.one<FiguresRow>(figuresSql('webhook_inbox', 'received_at')),
        sql.one<FiguresRow>(figuresSql('effects_outbox', 'created_at')),
      ]);
      return { inbox: toFigures(inbox), outbox: toFigures(outbox) };
    },

    async prune(cutoffs, limit) {
      const inbox = await sql.run(
        `DELETE FROM webhook_inbox WHERE id IN (
           SELECT id FROM webhook_inbox WHERE status IN ('done', 'ignored') AND processed_at < $1 ORDER BY processed_at LIMIT $2)`,
        [cutoffs.inbox, limit],
      );
      const outbox = await sql.run(
        `DELETE FROM effects_outbox WHERE id IN (
           SELECT id FROM effects_outbox WHERE status = 'done' AND updated_at < $1 ORDER BY updated_at LIMIT $2)`,
        [cutoffs.outbox, limit],
      );
      const steps = await sql.run(
        'DELETE FROM effect_steps WHERE step_key IN (SELECT step_key FROM effect_steps WHERE done_at < $1 ORDER BY done_at LIMIT $2)',
        [cutoffs.outbox, limit],
      );
      const actions = await sql.run(
        `DELETE FROM action_executions WHERE callback_id IN (
           SELECT callback_id FROM action_executions WHERE status = ANY($1::text[]) AND updated_at < $2 ORDER BY updated_at LIMIT $3)`,
        [FINAL_ACTION_STATUSES, cutoffs.actions, limit],
      );
      return { inbox, outbox, steps, actions };
    },

    async listDeadLetters(portalId, limit) {
      return (await sql.rows<DeadLetterRow>(DEAD_LETTERS, [portalId, limit])).map(toDeadLetter);
    },

    async retryDeadLetters(portalId, which, now) {
      const s = selection(which);
      const events = s.events
        ? await sql.run(
            `UPDATE webhook_inbox SET status = 'pending', attempts = 0, next_attempt_at = $1, processed_at = NULL
             WHERE status = 'dead' AND portal_id = $2 AND ($3::bigint IS NULL OR id = $3)`,
            [now, portalId, s.id],
          )
        : 0;
      const effects = s.effects
        ? await sql.run(
            `UPDATE effects_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, updated_at = $1
             WHERE status = 'dead' AND portal_id = $2 AND ($3::bigint IS NULL OR id = $3)`,
            [now, portalId, s.id],
          )
        : 0;
      return events + effects;
    },

    async discardDeadLetters(portalId, which, now) {
      const s = selection(which);
      const events = s.events
        ? await sql.run(
            `UPDATE webhook_inbox SET status = 'ignored', note = 'discarded by an admin', processed_at = $1
             WHERE status = 'dead' AND portal_id = $2 AND ($3::bigint IS NULL OR id = $3)`,
            [now, portalId, s.id],
          )
        : 0;
      const effects = s.effects
        ? await sql.run("DELETE FROM effects_outbox WHERE status = 'dead' AND portal_id = $1 AND ($2::bigint IS NULL OR id = $2)", [portalId, s.id])
        : 0;
      return events + effects;
    },

    async eraseContact(portalId, contactId, sessionIds, now) {
      const ids = [...sessionIds];
      const quoted = JSON.stringify(contactId);
      const changed = await Promise.all([
        sql.run('UPDATE chat_sessions SET contact_id = NULL, updated_at = $2 WHERE id = ANY($1::text[])', [ids, now]),
        sql.run(
          `UPDATE ai_control SET state = jsonb_set(state::jsonb, '{reason}', CASE WHEN status = 'handoff_requested' THEN '""'::jsonb ELSE 'null'::jsonb END)::text,
             version = version + 1, updated_at = $2
           WHERE session_id = ANY($1::text[]) AND state::jsonb ? 'reason' AND state::jsonb -> 'reason' <> 'null'::jsonb`,
          [ids, now],
        ),
        sql.run(`UPDATE ai_control_events SET detail = '{"erased":true}' WHERE session_id = ANY($1::text[]) AND type <> 'personal_data_erased'`, [ids]),
        sql.run('DELETE FROM effects_outbox WHERE session_id = ANY($1::text[])', [ids]),
        sql.run(
          `UPDATE action_executions SET request = '{}', work = NULL, completion = NULL, last_error = NULL,
             status = CASE WHEN status = ANY($5::text[]) THEN status ELSE 'completion_failed' END, lease_until = NULL, updated_at = $4
           WHERE portal_id = $1 AND (${namesContact('request', 'strpos', '$2::text', '$3::text')}
             OR EXISTS (SELECT 1 FROM unnest($6::text[]) i(id) WHERE strpos(coalesce(work, ''), i.id) > 0))`,
          [portalId, contactId, quoted, now, FINAL_ACTION_STATUSES, ids],
        ),
        sql.run(
          `UPDATE webhook_inbox SET payload = '{}', object_id = NULL, dedup_key = 'erased:' || id, ordering_key = 'erased:' || id
           WHERE portal_id = $1 AND status <> 'pending'
             AND (object_id = $2 OR ordering_key = 'contact:' || $1 || ':' || $2 OR ${namesContact('payload', 'strpos', '$2::text', '$3::text')})`,
          [portalId, contactId, quoted],
        ),
      ]);
      return changed.reduce((a, b) => a + b, 0);
    },
  };
}
