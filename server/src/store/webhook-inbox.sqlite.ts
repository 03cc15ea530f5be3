import type { Statement } from 'better-sqlite3';
import { claimableIdsSql } from './claim-sql';
import type { SqliteDatabase } from './db';
import { clipNote, fromJson } from './sqlite-values';
import type {
  ClaimedInboxEvent,
  InboxEventRecord,
  InboxStatus,
  NewInboxEvent,
  WebhookInboxStore,
} from './webhook-inbox.store';

export interface ClaimedRow {
  id: number;
  dedup_key: string;
  portal_id: number;
  ordering_key: string;
  occurred_at: number;
  event_id: number | null;
  event_kind: string | null;
  payload: string;
  attempts: number;
  lease_until: number;
}

export interface RecordRow {
  id: number;
  dedup_key: string;
  portal_id: number;
  subscription_type: string;
  ordering_key: string;
  occurred_at: number;
  event_kind: string | null;
  status: InboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  note: string | null;
  received_at: number;
  processed_at: number | null;
}

const INSERT_COLUMNS =
  '(dedup_key, portal_id, subscription_type, object_id, ordering_key, occurred_at, event_id, event_kind, payload, status, attempts, next_attempt_at, received_at)';
const ROW_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)";

// Lane order: occurredAt, then HubSpot's eventId (same millisecond), then arrival.
const EARLIER = (e: string, w: string) =>
  `(${e}.occurred_at < ${w}.occurred_at OR (${e}.occurred_at = ${w}.occurred_at AND (coalesce(${e}.event_id, 0) < coalesce(${w}.event_id, 0)
    OR (coalesce(${e}.event_id, 0) = coalesce(${w}.event_id, 0) AND ${e}.id < ${w}.id))))`;

// A lane's head: no earlier unfinished event in its lane, and no other event of the lane under a live lease
// (an earlier event may arrive late while a later one is being processed). The unfinished-rows partial index
// (004) answers both sub-queries without touching the lane's history.
const LANE_HEAD = `
  NOT EXISTS (
    SELECT 1 FROM webhook_inbox e
    WHERE e.ordering_key = w.ordering_key AND e.status IN ('pending', 'processing')
      AND ${EARLIER('e', 'w')})
  AND NOT EXISTS (
    SELECT 1 FROM webhook_inbox p
    WHERE p.ordering_key = w.ordering_key AND p.status IN ('pending', 'processing')
      AND p.status = 'processing' AND p.lease_until > @now AND p.id <> w.id)`;

// Order across lanes (due time, then arrival) is free to follow the index: LANE_HEAD keeps each lane in order.
const CLAIM_ANY_LANE = claimableIdsSql({ table: 'webhook_inbox', alias: 'w', dueIndex: 'webhook_inbox_due', head: LANE_HEAD });

// The given lanes only (the takeover fast path): each lane's unfinished rows through the open-lanes index.
const CLAIM_GIVEN_LANES = `
  SELECT w.id FROM json_each(@lanes) l
  JOIN webhook_inbox w INDEXED BY webhook_inbox_open_lanes
    ON w.ordering_key = l.value AND w.status IN ('pending', 'processing')
  WHERE ((w.status = 'pending' AND w.next_attempt_at <= @now) OR (w.status = 'processing' AND w.lease_until <= @now))
    AND ${LANE_HEAD}
  LIMIT @limit`;

const claimSql = (lanes: boolean) => `
  UPDATE webhook_inbox
  SET status = 'processing', attempts = attempts + 1, lease_until = @leaseUntil
  WHERE id IN (${lanes ? CLAIM_GIVEN_LANES : CLAIM_ANY_LANE})
  RETURNING id, dedup_key, portal_id, ordering_key, occurred_at, event_id, event_kind, payload, attempts, lease_until`;

export function createWebhookInboxSqlite(db: SqliteDatabase): WebhookInboxStore {
  // One multi-row statement per batch size, prepared once: HubSpot batches are 1–100 events.
  const inserts = new Map<number, Statement>();
  const insertFor = (count: number): Statement => {
    let statement = inserts.get(count);
    if (!statement) {
      statement = db.prepare(
        `INSERT INTO webhook_inbox ${INSERT_COLUMNS} VALUES ${Array.from({ length: count }, () => ROW_PLACEHOLDERS).join(', ')}
         ON CONFLICT (dedup_key) DO NOTHING`,
      );
      inserts.set(count, statement);
    }
    return statement;
  };
  const insertRows = (events: readonly NewInboxEvent[], now: number): number => {
    if (events.length === 0) return 0;
    const params: unknown[] = [];
    for (const e of events) {
      params.push(e.dedupKey, e.portalId, e.subscriptionType, e.objectId, e.orderingKey, e.occurredAt, e.eventId, e.eventKind, e.payload, now, now);
    }
    return insertFor(events.length).run(params).changes;
  };
  // Inside a caller's transaction this becomes a savepoint (better-sqlite3 nests), so it is safe under `tx` too.
  const insertAll = db.transaction((batches: readonly (readonly NewInboxEvent[])[], now: number): number[] =>
    batches.map((events) => insertRows(events, now)),
  );
  // Events of portals nobody connected (or that disconnected) are recorded and ignored: in one statement, so a
  // flood of them costs the worker nothing per event. The note matches the per-event check in process-event.ts.
  // Only rows stored since the last call, by primary key: the writer lock means no row can later appear below
  // a max(id) already seen. NOT INDEXED keeps SQLite on the primary-key range (it preferred walking every pending
  // row through the status index); NOT EXISTS looks each row's portal up in the unique portal_id index, where
  // `NOT IN (SELECT …)` built a temporary index of every connection on each round.
  const lastId = db.prepare<[], { id: number }>('SELECT coalesce(max(id), 0) AS id FROM webhook_inbox');
  const ignoreUnconnected = db.prepare<{ now: number; after: number; upTo: number }>(
    `UPDATE webhook_inbox NOT INDEXED SET status = 'ignored', note = 'portal ' || portal_id || ' is not connected', processed_at = @now
     WHERE id > @after AND id <= @upTo AND status = 'pending'
       AND NOT EXISTS (
         SELECT 1 FROM hubspot_connections c WHERE c.portal_id = webhook_inbox.portal_id AND c.status <> 'disconnected')`,
  );
  const claimAll = db.prepare<{ now: number; leaseUntil: number; limit: number }, ClaimedRow>(claimSql(false));
  const claimLanes = db.prepare<{ now: number; leaseUntil: number; limit: number; lanes: string }, ClaimedRow>(claimSql(true));
  const complete = db.prepare(
    `UPDATE webhook_inbox SET status = @status, note = @note, lease_until = NULL, last_error = NULL, processed_at = @now
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  const retry = db.prepare(
    `UPDATE webhook_inbox SET status = 'pending', next_attempt_at = @retryAt, lease_until = NULL, last_error = @error
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  const dead = db.prepare(
    `UPDATE webhook_inbox SET status = 'dead', lease_until = NULL, last_error = @error, processed_at = @now
     WHERE id = @id AND status = 'processing' AND attempts = @attempts`,
  );
  // The literal kinds let SQLite use the partial index webhook_inbox_applied_ownership (its WHERE must be implied).
  const superseded = db.prepare<{ lane: string; kind: string; at: number; eventId: number }, { one: number }>(
    `SELECT 1 AS one FROM webhook_inbox
     WHERE ordering_key = @lane AND event_kind = @kind AND status = 'done'
       AND event_kind IN ('ticketOwnerChanged', 'threadAssigneeChanged')
       AND (occurred_at > @at OR (occurred_at = @at AND coalesce(event_id, 0) > @eventId))
     LIMIT 1`,
  );
  const statuses = db.prepare<[string], { dedup_key: string; status: InboxStatus }>(
    'SELECT dedup_key, status FROM webhook_inbox WHERE dedup_key IN (SELECT value FROM json_each(?))',
  );
  const listAll = db.prepare<[number], RecordRow>('SELECT * FROM webhook_inbox ORDER BY occurred_at, id LIMIT ?');
  const listByStatus = db.prepare<[string, number], RecordRow>(
    'SELECT * FROM webhook_inbox WHERE status = ? ORDER BY occurred_at, id LIMIT ?',
  );
  const counts = db.prepare<[], { status: InboxStatus; n: number }>(
    'SELECT status, count(*) AS n FROM webhook_inbox GROUP BY status',
  );

  return {
    async insertBatch(events, now) {
      return insertRows(events, now);
    },

    async insertBatches(batches, now) {
      return insertAll.immediate(batches, now);
    },

    async ignoreUnconnectedPortals(now, afterId) {
      const upTo = lastId.get()!.id;
      if (upTo <= afterId) return { ignored: 0, scannedUpTo: afterId };
      return { ignored: ignoreUnconnected.run({ now, after: afterId, upTo }).changes, scannedUpTo: upTo };
    },

    async claimDue({ now, limit, leaseMs, orderingKeys }) {
      const base = { now, limit, leaseUntil: now + leaseMs };
      const rows = orderingKeys
        ? orderingKeys.length === 0
          ? []
          : claimLanes.all({ ...base, lanes: JSON.stringify(orderingKeys) })
        : claimAll.all(base);
      // RETURNING gives rows in no particular order.
      return rows.sort(inLaneOrder).map(toClaimed);
    },

    async complete(id, attempts, outcome, now) {
      const note = outcome.note ? clipNote(outcome.note) : null;
      return complete.run({ id, attempts, status: outcome.status, note, now }).changes > 0;
    },

    async fail(id, attempts, error, retryAt, now) {
      const params = { id, attempts, error: clipNote(error), now };
      return (retryAt === null ? dead.run(params) : retry.run({ ...params, retryAt })).changes > 0;
    },

    async isSuperseded({ orderingKey, eventKind, occurredAt, eventId }) {
      return superseded.get({ lane: orderingKey, kind: eventKind, at: occurredAt, eventId }) !== undefined;
    },

    async statusesOf(dedupKeys) {
      if (dedupKeys.length === 0) return new Map();
      return new Map(statuses.all(JSON.stringify(dedupKeys)).map((r) => [r.dedup_key, r.status]));
    },

    async list(filter = {}) {
      const limit = filter.limit ?? 1000;
      const rows = filter.status ? listByStatus.all(filter.status, limit) : listAll.all(limit);
      return rows.map(toRecord);
    },

    async countByStatus() {
      const out: Record<InboxStatus, number> = { pending: 0, processing: 0, done: 0, ignored: 0, dead: 0 };
      for (const row of counts.all()) out[row.status] = row.n;
      return out;
    },
  };
}

/** Lane order (occurredAt, then eventId, then arrival) for rows that RETURNING gave in no particular order. */
export const inLaneOrder = (a: ClaimedRow, b: ClaimedRow): number =>
  a.occurred_at - b.occurred_at || (a.event_id ?? 0) - (b.event_id ?? 0) || a.id - b.id;

export function toClaimed(row: ClaimedRow): ClaimedInboxEvent {
  return {
    id: row.id,
    dedupKey: row.dedup_key,
    portalId: row.portal_id,
    orderingKey: row.ordering_key,
    occurredAt: row.occurred_at,
    eventId: row.event_id ?? 0,
    eventKind: row.event_kind ?? 'unsupported',
    payload: fromJson<unknown>(row.payload, 'webhook_inbox.payload'),
    attempts: row.attempts,
    leaseUntil: row.lease_until,
  };
}

export function toRecord(row: RecordRow): InboxEventRecord {
  return {
    id: row.id,
    dedupKey: row.dedup_key,
    portalId: row.portal_id,
    subscriptionType: row.subscription_type,
    orderingKey: row.ordering_key,
    occurredAt: row.occurred_at,
    eventKind: row.event_kind,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    note: row.note,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}
