import type { Timestamp } from '@opencx/shared';

/** One queue's figures for the metrics: unfinished items, the oldest of them, and dead letters. */
export interface QueueFigures {
  unfinished: number;
  oldestUnfinishedAt: Timestamp | null;
  dead: number;
}

/** Rows finished before these instants may be deleted (see operate/retention.ts for the periods). */
export interface PruneCutoffs {
  /** Inbox events done or ignored. */
  inbox: Timestamp;
  /** Effects performed, and the steps they recorded. */
  outbox: Timestamp;
  /** Workflow-action answers that are final (answered, completed, expired, failed). */
  actions: Timestamp;
}

export interface PruneCounts {
  inbox: number;
  outbox: number;
  steps: number;
  actions: number;
}

export type DeadLetterKind = 'event' | 'effect';

/** An inbox event or an outbox effect that failed for good, as an admin sees it. */
export interface DeadLetter {
  kind: DeadLetterKind;
  id: number;
  portalId: number;
  /** The event's kind (`newMessage`…) or the effect's type (`askAiToReply`…). */
  what: string;
  /** The HubSpot thread of the effect's session, or the event's lane (`thread:123`, `ticket:45`). */
  conversation: string | null;
  lastError: string | null;
  attempts: number;
  failedAt: Timestamp;
}

/** One dead letter, or every one of the portal. */
export type DeadLetterSelection = { kind: DeadLetterKind; id: number } | 'all';

/**
 * What operating the integration needs across tables: queue figures for the metrics, pruning finished rows,
 * dead letters (list, retry, discard) and erasing a contact's personal data.
 */
export interface OperationsStore {
  queueFigures(): Promise<{ inbox: QueueFigures; outbox: QueueFigures }>;
  /**
   * Deletes at most `limit` rows of each table finished before its cutoff (oldest first). Dead letters and
   * unfinished work are never pruned. A count equal to `limit` means more may be left.
   */
  prune(cutoffs: PruneCutoffs, limit: number): Promise<PruneCounts>;
  /** The portal's dead letters, newest first. */
  listDeadLetters(portalId: number, limit: number): Promise<DeadLetter[]>;
  /** Makes dead letters due again now, with a fresh attempt count. Returns how many. */
  retryDeadLetters(portalId: number, which: DeadLetterSelection, now: Timestamp): Promise<number>;
  /**
   * Gives dead letters up: an event becomes `ignored` (its dedup key stays, so a redelivery does not bring it
   * back), an effect is deleted. Returns how many.
   */
  discardDeadLetters(portalId: number, which: DeadLetterSelection, now: Timestamp): Promise<number>;
  /**
   * Erases what the given sessions of a deleted contact still hold beyond their messages: the contact id of the
   * sessions, reasons in the AI state and in audit details, the sessions' effects (pending ones included), the
   * workflow-action rows naming the contact or the sessions, and finished inbox events naming the contact (their
   * payload, and the keys built from the contact id; pending events are left to run). Returns the rows changed.
   */
  eraseContact(portalId: number, contactId: string, sessionIds: readonly string[], now: Timestamp): Promise<number>;
}

/** The final statuses of action_executions (see action-executions.store.ts). */
export const FINAL_ACTION_STATUSES = ['answered', 'completed', 'completion_expired', 'completion_failed'] as const;
export const ERASED_NOTE = 'personal data erased';
