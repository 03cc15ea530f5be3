import type { AiAuditEvent, AiControl, Timestamp } from '@opencx/shared';

export interface StoredAiControl {
  control: AiControl;
  /** Optimistic-concurrency version: pass it back to save(). */
  version: number;
}

export interface TimedResumeDue {
  sessionId: string;
  until: Timestamp;
}

export interface AiControlStore {
  /** Null when the session never had a control row (callers start from initialAiControl()). */
  load(sessionId: string): Promise<StoredAiControl | null>;
  /**
   * Writes the control only if the stored version is still `expectedVersion` (null: no row may exist yet), and
   * returns the new version. Otherwise throws AppError `version_conflict`: someone saved in between.
   */
  save(sessionId: string, control: AiControl, expectedVersion: number | null, now: Timestamp): Promise<number>;
  appendEvents(sessionId: string, events: readonly AiAuditEvent[]): Promise<void>;
  /** The audit trail, newest first. */
  listEvents(sessionId: string, limit: number): Promise<AiAuditEvent[]>;
  /** For the timer worker: sessions paused with an `until` that has passed, earliest first. */
  listDueTimedResumes(now: Timestamp, limit?: number): Promise<TimedResumeDue[]>;
}
