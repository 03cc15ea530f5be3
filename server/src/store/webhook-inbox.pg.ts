import { claimLaneHeads } from './claim.pg';
import type { Sql } from './pg-sql';
import { clipNote } from './sqlite-values';
import { inLaneOrder, toClaimed, toRecord, type ClaimedRow, type RecordRow } from './webhook-inbox.sqlite';
import type { InboxStatus, NewInboxEvent, WebhookInboxStore } from './webhook-inbox.store';

// Lane order: occurredAt, then HubSpot's eventId (same millisecond), then arrival.
const EARLIER = `(e.occurred_at < w.occurred_at OR (e.occurred_at = w.occurred_at AND (coalesce(e.event_id, 0) < coalesce(w.event_id, 0)
  OR (coalesce(e.event_id, 0) = coalesce(w.event_id, 0) AND e.id < w.id))))`;

// A lane's head: no earlier unfinished event, and no event of the lane in processing (expired leases were reset to
// pending just before, so any left is live). Both answered by the open-lanes partial index (004).
const claimSql = (lanes: boolean) => `
  UPDATE webhook_inbox u SET status = 'processing', attempts = u.attempts + 1, lease_until = $2
  FROM (
    SELECT w.id FROM webhook_inbox w
    WHERE w.status = 'pending' AND w.next_attempt_at <= $1 ${lanes ? 'AND w.ordering_key = ANY($4::text[])' : ''}
      AND NOT EXISTS (SELECT 1 FROM webhook_inbox e WHERE e.ordering_key = w.ordering_key AND e.status IN ('pending', 'processing') AND ${EARLIER})
      AND NOT EXISTS (SELECT 1 FROM webhook_inbox p WHERE p.ordering_key = w.ordering_key AND p.status = 'processing')
    ORDER BY w.next_attempt_at, w.id
    LIMIT $3
    FOR UPDATE SKIP LOCKED) head
  WHERE u.id = head.id
  RETURNING u.id, u.dedup_key, u.portal_id, u.ordering_key, u.occurred_at, u.event_id, u.event_kind, u.payload, u.attempts, u.lease_until`;
const CLAIM_ANY_LANE = claimSql(false);
const CLAIM_GIVEN_LANES = claimSql(true);

// One statement for any number of batches: the columns as arrays, unnested in order. A key met twice is stored
// once (the later row conflicts with the earlier one of the same statement and is skipped).
const INSERT_ROWS = `
  INSERT INTO webhook_inbox (dedup_key, portal_id, subscription_type, object_id, ordering_key, occurred_at, event_id, event_kind,
    payload, status, attempts, next_attempt_at, received_at)
  SELECT r.dedup_key, r.portal_id, r.subscription_type, r.object_id, r.ordering_key, r.occurred_at, r.event_id, r.event_kind,
    r.payload, 'pending', 0, $10, $10
  FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
    WITH ORDINALITY AS r(dedup_key, portal_id, subscription_type, object_id, ordering_key, occurred_at, event_id, event_kind, payload, n)
  ORDER BY r.n
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING dedup_key`;

export function createWebhookInboxPg(sql: Sql): WebhookInboxStore {
  const insertAll = async (batches: readonly (readonly NewInboxEvent[])[], now: number): Promise<number[]> => {
    const events = batches.flat();
    if (events.length === 0) return batches.map(() => 0);
    const column = <K extends keyof NewInboxEvent>(key: K) => events.map((e) => e[key]);
    const stored = await sql.rows<{ dedup_key: string }>(INSERT_ROWS, [
      column('dedupKey'),
      column('portalId'),
      column('subscriptionType'),
      column('objectId'),
      column('orderingKey'),
      column('occurredAt'),
      column('eventId'),
      column('eventKind'),
      column('payload'),
      now,
    ]);
    // Each new key counts for the first batch that carried it, as if the batches had been stored one by one.
    const fresh = new Set(stored.map((r) => r.dedup_key));
    return batches.map((batch) => batch.filter((e) => fresh.delete(e.dedupKey)).length);
  };

  return {
    async insertBatch(events, now) {
      return (await insertAll([events], now))[0]!;
    },

    async insertBatches(batches, now) {
      return insertAll(batches, now);
    },

    async ignoreUnconnectedPortals(now, afterId) {
      // Unlike SQLite, ids can commit out of order here (a lower id in a transaction still open), so a row this pass
      // steps over is left pending; the worker's per-event check ignores it just the same (process-event.ts).
      const last = await sql.one<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM webhook_inbox');
      const upTo = last!.id;
      if (upTo <= afterId) return { ignored: 0, scannedUpTo: afterId };
      const ignored = await sql.run(
        `UPDATE webhook_inbox w SET status = 'ignored', note = 'portal ' || w.portal_id || ' is not connected', processed_at = $1
         WHERE w.id > $2 AND w.id <= $3 AND w.status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM hubspot_connections c WHERE c.portal_id = w.portal_id AND c.status <> 'disconnected')`,
        [now, afterId, upTo],
      );
      return { ignored, scannedUpTo: upTo };
    },

    async claimDue({ now, limit, leaseMs, orderingKeys }) {
      if (orderingKeys?.length === 0) return [];
      const params = [now, now + leaseMs, limit, ...(orderingKeys ? [orderingKeys] : [])];
      const rows = await claimLaneHeads(sql, {
        table: 'webhook_inbox',
        now,
        claim: () => sql.rows<ClaimedRow>(orderingKeys ? CLAIM_GIVEN_LANES : CLAIM_ANY_LANE, params),
      });
      return rows.sort(inLaneOrder).map(toClaimed);
    },

    async complete(id, attempts, outcome, now) {
      const note = outcome.note ? clipNote(outcome.note) : null;
      const changed = await sql.run(
        `UPDATE webhook_inbox SET status = $1, note = $2, lease_until = NULL, last_error = NULL, processed_at = $3
         WHERE id = $4 AND status = 'processing' AND attempts = $5`,
        [outcome.status, note, now, id, attempts],
      );
      return changed > 0;
    },

    async fail(id, attempts, error, retryAt, now) {
      const changed =
        retryAt === null
          ? await sql.run(
              `UPDATE webhook_inbox SET status = 'dead', lease_until = NULL, last_error = $1, processed_at = $2
               WHERE id = $3 AND status = 'processing' AND attempts = $4`,
              [clipNote(error), now, id, attempts],
            )
          : await sql.run(
              `UPDATE webhook_inbox SET status = 'pending', next_attempt_at = $1, lease_until = NULL, last_error = $2
               WHERE id = $3 AND status = 'processing' AND attempts = $4`,
              [retryAt, clipNote(error), id, attempts],
            );
      return changed > 0;
    },

    async isSuperseded({ orderingKey, eventKind, occurredAt, eventId }) {
      // The literal kinds let the planner use the partial index webhook_inbox_applied_ownership.
      const row = await sql.one(
        `SELECT 1 AS one FROM webhook_inbox
         WHERE ordering_key = $1 AND event_kind = $2 AND status = 'done'
           AND event_kind IN ('ticketOwnerChanged', 'threadAssigneeChanged')
           AND (occurred_at > $3 OR (occurred_at = $3 AND coalesce(event_id, 0) > $4))
         LIMIT 1`,
        [orderingKey, eventKind, occurredAt, eventId],
      );
      return row !== undefined;
    },

    async statusesOf(dedupKeys) {
      if (dedupKeys.length === 0) return new Map();
      const rows = await sql.rows<{ dedup_key: string; status: InboxStatus }>(
        'SELECT dedup_key, status FROM webhook_inbox WHERE dedup_key = ANY($1::text[])',
        [dedupKeys],
      );
      return new Map(rows.map((r) => [r.dedup_key, r.status]));
    },

    async list(filter = {}) {
      const limit = filter.limit ?? 1000;
      const rows = filter.status
        ? await sql.rows<RecordRow>('SELECT * FROM webhook_inbox WHERE status = $1 ORDER BY occurred_at, id LIMIT $2', [filter.status, limit])
        : await sql.rows<RecordRow>('SELECT * FROM webhook_inbox ORDER BY occurred_at, id LIMIT $1', [limit]);
      return rows.map(toRecord);
    },

    async countByStatus() {
      const out: Record<InboxStatus, number> = { pending: 0, processing: 0, done: 0, ignored: 0, dead: 0 };
      for (const row of await sql.rows<{ status: InboxStatus; n: number }>('SELECT status, count(*) AS n FROM webhook_inbox GROUP BY status')) {
        out[row.status] = row.n;
      }
      return out;
    },
  };
}
