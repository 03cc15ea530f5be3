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
  /** False when the effect was not in `processing` (its lease expired and another worker took it). */
  markDone(id: number, now: Timestamp): Promise<boolean>;
  /** Schedules a retry with backoff, or marks the effect dead once the retry policy gives up. */
  markFailed(id: number, error: string, now: Timestamp): Promise<'retrying' | 'dead'>;
  /** For failures no retry can fix (e.g. HubSpot answered 4xx). */
  markDead(id: number, error: string, now: Timestamp): Promise<void>;
  /** Effects not yet done or dead (pending or processing), for operators and tests; by type. */
  countUnfinished(): Promise<Record<string, number>>;
}
