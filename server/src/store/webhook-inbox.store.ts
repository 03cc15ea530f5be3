import type { Timestamp } from '@opencx/shared';

/** `ignored`: understood and deliberately not acted on (unknown portal, our own write, a superseded change…). */
export type InboxStatus = 'pending' | 'processing' | 'done' | 'ignored' | 'dead';

/** One webhook event as stored by the intake, before anything acts on it. */
export interface NewInboxEvent {
  /** `dedupKeyOf(event)`: a redelivery of the same event has the same key and is not stored again. */
  dedupKey: string;
  portalId: number;
  subscriptionType: string;
  objectId: string | null;
  /** `orderingKeyOf(event)`: the lane (one conversation, ticket or contact) processed one event at a time. */
  orderingKey: string;
  occurredAt: Timestamp;
  /** HubSpot's eventId: orders events of a lane that occurred in the same millisecond. */
  eventId: number;
  /** The normalized kind (`ticketOwnerChanged`…). */
  eventKind: string;
  /** The event exactly as HubSpot sent it, as JSON text: re-parsed by the worker with the current parser. */
  payload: string;
}

export interface ClaimedInboxEvent {
  id: number;
  dedupKey: string;
  portalId: number;
  orderingKey: string;
  occurredAt: Timestamp;
  eventId: number;
  eventKind: string;
  payload: unknown;
  /** Including this claim. Pass it back to complete/fail: it identifies the claim (a newer one supersedes it). */
  attempts: number;
  leaseUntil: Timestamp;
}

export interface InboxEventRecord {
  id: number;
  dedupKey: string;
  portalId: number;
  subscriptionType: string;
  orderingKey: string;
  occurredAt: Timestamp;
  eventKind: string | null;
  status: InboxStatus;
  attempts: number;
  nextAttemptAt: Timestamp;
  lastError: string | null;
  note: string | null;
  receivedAt: Timestamp;
  processedAt: Timestamp | null;
}

export interface ClaimOptions {
  now: Timestamp;
  limit: number;
  leaseMs: number;
  /** Only these lanes (the intake processing an agent's takeover at once); default every lane. */
  orderingKeys?: readonly string[];
}

export interface WebhookInboxStore {
  /**
   * Stores a whole batch with one statement (one implicit transaction), skipping events already stored (same
   * dedup key, also twice within the batch). Returns how many were new.
   */
  insertBatch(events: readonly NewInboxEvent[], now: Timestamp): Promise<number>;
  /**
   * Several batches (concurrent webhook requests) in one transaction, one statement each: the commit is paid once
   * for all of them. Returns how many events of each batch were new.
   */
  insertBatches(batches: readonly (readonly NewInboxEvent[])[], now: Timestamp): Promise<number[]>;
  /**
   * Leases up to `limit` due events until `now + leaseMs`: pending ones whose time has come, and processing ones
   * whose lease expired (their worker died). Only the head of a lane is handed out — the earliest unfinished
   * event by `occurredAt` (then eventId) — and never while another event of the lane is leased, so a lane is processed one
   * event at a time, in order, by one worker in any process.
   */
  claimDue(options: ClaimOptions): Promise<ClaimedInboxEvent[]>;
  /**
   * Marks the pending events stored after `afterId` whose portal has no live connection `ignored`. Returns how
   * many, and the id to pass next time: each event is looked at once, so a backlog costs nothing per round.
   * (An event whose portal disconnects later is caught by the worker's per-event check.)
   */
  ignoreUnconnectedPortals(now: Timestamp, afterId: number): Promise<{ ignored: number; scannedUpTo: number }>;
  /**
   * Finishes a claimed event. False when the claim is no longer current (the lease expired and another worker
   * claimed it): a caller inside a transaction must then roll its work back.
   */
  complete(id: number, attempts: number, outcome: { status: 'done' | 'ignored'; note?: string | null }, now: Timestamp): Promise<boolean>;
  /** Schedules a retry at `retryAt`, or marks the event dead (null) with its last error. False if the claim was lost. */
  fail(id: number, attempts: number, error: string, retryAt: Timestamp | null, now: Timestamp): Promise<boolean>;
  /** True when an event of the same kind in the lane, which occurred later, was already applied (done). */
  isSuperseded(event: Pick<ClaimedInboxEvent, 'orderingKey' | 'eventKind' | 'occurredAt' | 'eventId'>): Promise<boolean>;
  /** The status of stored events by dedup key (missing keys are absent). */
  statusesOf(dedupKeys: readonly string[]): Promise<Map<string, InboxStatus>>;
  /** For operators and tests: events by status, oldest first. */
  list(filter?: { status?: InboxStatus; limit?: number }): Promise<InboxEventRecord[]>;
  countByStatus(): Promise<Record<InboxStatus, number>>;
}
