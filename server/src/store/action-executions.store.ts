import type { Timestamp, WorkflowActionName } from '@opencx/shared';

/**
 * One row per workflow-action call (callbackId), written in the same transaction as the AI control decision it
 * made, so the answer exists if and only if the action acted. Statuses:
 * - `answered`: the answer given to HubSpot is final (SUCCESS or FAIL_CONTINUE);
 * - `awaiting_ai`: BLOCK was answered; the AI has yet to run (Send to OpenCX AI);
 * - `completing`: the completion is decided and is being sent to HubSpot until it answers 204;
 * - `completed`: HubSpot accepted the completion;
 * - `completion_expired`: HubSpot no longer knows the callback (404), or our block expiry passed;
 * - `completion_failed`: HubSpot refused the completion for good (a 4xx other than 404 and 429).
 */
export type ActionExecutionStatus =
  | 'answered'
  | 'awaiting_ai'
  | 'completing'
  | 'completed'
  | 'completion_expired'
  | 'completion_failed';

/** Output field values are strings in HubSpot's API. */
export type OutputFields = Record<string, string>;

/** The body answered to HubSpot: `{ outputFields }`. */
export interface ActionAnswer {
  outputFields: OutputFields;
}

/** What Send to OpenCX AI still owes after answering BLOCK; kept in the row so that a restart resumes it. */
export interface SendToAiWork {
  kind: 'send_to_ai';
  sessionIds: string[];
  instruction: string | null;
  /** The outcome of the `sendToAi` decision taken when the call arrived (resumed or already_active). */
  outcome: 'resumed' | 'already_active';
  /**
   * The AI's reply per session once it ran (null: it did not answer, e.g. it handed off), saved after each
   * session so that a retry after a failure on the second session does not ask again on the first.
   */
  replies?: Record<string, string | null>;
  /** Until when HubSpot keeps the execution blocked; completing later is pointless. */
  expiresAt: Timestamp;
}
export type ActionWork = SendToAiWork;

export interface ActionExecution {
  callbackId: string;
  portalId: number;
  action: WorkflowActionName;
  /** The request body as HubSpot sent it (parsed), for the audit trail (e.g. a resume's note). */
  request: unknown;
  status: ActionExecutionStatus;
  /** The first answer; every retry of the same callbackId gets exactly this back. */
  answer: ActionAnswer;
  /** The output fields sent through the callback API (BLOCKed actions only). */
  completion: OutputFields | null;
  work: ActionWork | null;
  /** Attempts of the current background step (AI run, then completion); 0 for answered rows. */
  attempts: number;
  nextAttemptAt: Timestamp | null;
  leaseUntil: Timestamp | null;
  lastError: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  completedAt: Timestamp | null;
}

export interface NewActionExecution {
  callbackId: string;
  portalId: number;
  action: WorkflowActionName;
  request: unknown;
  answer: ActionAnswer;
  /** Background work makes the row `awaiting_ai` and due at once; without it the row is `answered`. */
  work?: ActionWork | null;
}

export interface ActionExecutionsStore {
  get(callbackId: string): Promise<ActionExecution | null>;
  /**
   * First writer wins: inserts the execution unless its callbackId is already stored. Returns the stored row
   * either way, and whether this call inserted it.
   */
  insertFirst(execution: NewActionExecution, now: Timestamp): Promise<{ inserted: boolean; execution: ActionExecution }>;
  /**
   * Leases up to `limit` rows with background work due (awaiting_ai or completing, next attempt passed, no live
   * lease) until `now + leaseMs`, counting an attempt for each. A lease that expired means its worker died.
   */
  claimDue(options: { now: Timestamp; limit: number; leaseMs: number }): Promise<ActionExecution[]>;
  /** Saves the progress of the background work (the row keeps its status and lease). */
  updateWork(callbackId: string, work: ActionWork, now: Timestamp): Promise<void>;
  /**
   * The AI has run: these output fields go to HubSpot next (status `completing`; attempts restart at 1, the
   * completion attempt the caller makes at once; the lease is kept for it).
   */
  setCompletion(callbackId: string, completion: OutputFields, now: Timestamp): Promise<void>;
  markCompleted(callbackId: string, now: Timestamp): Promise<void>;
  /** Releases the lease and tries again at `nextAttemptAt`. */
  scheduleRetry(callbackId: string, error: string, nextAttemptAt: Timestamp, now: Timestamp): Promise<void>;
  markGivenUp(callbackId: string, status: 'completion_expired' | 'completion_failed', error: string, now: Timestamp): Promise<void>;
}
