import type { AiEffect, Timestamp } from '@opencx/shared';

/** What the outbox can carry. Widen this union when other work (e.g. completing a workflow callback) joins. */
export type OutboxEffect = AiEffect;

export interface NewOutboxEntry {
  sessionId: string;
  portalId: number;
  effect: OutboxEffect;
}

export interface ClaimedEffect extends NewOutboxEntry {
  /** Stable across retries: use it as the idempotency key when performing the effect. */
  id: number;
  /** Including the current one. */
  attempts: number;
  leaseUntil: Timestamp;
}

export interface EffectsOutboxStore {
  /** Called inside the transaction that decided the effects, so they exist if and only if the decision does. */
  enqueue(entries: readonly NewOutboxEntry[], now: Timestamp): Promise<void>;
  /**
   * Leases up to `limit` due effects until `now + leaseMs` (pending ones whose time has come, and processing
   * ones whose lease expired because a worker died). At most one effect per session, the oldest unfinished:
   * a session's effects run in the order they were decided, so "paused" can never overwrite a later "active".
   */
  claimDue(options: { now: Timestamp; limit: number; leaseMs: number }): Promise<ClaimedEffect[]>;
  /*
   * Finishing a claimed effect names the claim by its `attempts`: a worker whose lease expired (and whose effect
   * another worker claimed since) cannot overwrite the newer claim's outcome. Each returns false, or 'lost',
   * when the claim is no longer current.
   */
  markDone(id: number, attempts: number, now: Timestamp): Promise<boolean>;
  /**
   * Schedules a retry at `retryAt`, or marks the effect dead (null: the retry policy gave up, or no retry can fix
   * it, e.g. HubSpot answered 4xx) with its last error.
   */
  markFailed(id: number, attempts: number, error: string, retryAt: Timestamp | null, now: Timestamp): Promise<'retrying' | 'dead' | 'lost'>;
  /** Effects not yet done or dead (pending or processing), for operators and tests; by type. */
  countUnfinished(): Promise<Record<string, number>>;
}
