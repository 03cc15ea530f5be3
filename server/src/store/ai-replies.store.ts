import type { Timestamp } from '@opencx/shared';

/**
 * `pending`: requested, nothing decided yet; `drafted`: the AI's text is kept so a retry posts the same words;
 * `sending`: a post to the thread started (if it failed in an unknown way, the thread is checked before posting
 * again); `answered` and `handoff` are final.
 */
export type AiReplyStatus = 'pending' | 'drafted' | 'sending' | 'answered' | 'handoff';

export interface AiReplyRecord {
  requestKey: string;
  sessionId: string;
  status: AiReplyStatus;
  /** The text posted or to post (with the email signature). */
  text: string | null;
  /** Handoff reason. */
  reason: string | null;
  hubspotMessageId: string | null;
  sendStartedAt: Timestamp | null;
  leaseUntil: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type AcquireResult =
  | { kind: 'acquired'; record: AiReplyRecord }
  /** Already answered or handed off: nothing to do but report it. */
  | { kind: 'final'; record: AiReplyRecord }
  /** Another worker holds the request right now. */
  | { kind: 'busy'; leaseUntil: Timestamp };

export type AiReplyUpdate = Partial<Pick<AiReplyRecord, 'status' | 'text' | 'reason' | 'hubspotMessageId' | 'sendStartedAt'>>;

/** The ledger of AI reply requests: what makes an AI reply happen once per request. */
export interface AiRepliesStore {
  /** Creates the request (pending) or takes over an unleased unfinished one, leasing it until `now + leaseMs`. */
  acquire(requestKey: string, sessionId: string, now: Timestamp, leaseMs: number): Promise<AcquireResult>;
  /** Changes fields of a request this worker holds; final statuses clear the lease. */
  update(requestKey: string, update: AiReplyUpdate, now: Timestamp): Promise<void>;
  /** Gives the lease up; `forget` deletes an unfinished request that decided nothing (e.g. the AI is paused). */
  release(requestKey: string, options: { forget: boolean }): Promise<void>;
  get(requestKey: string): Promise<AiReplyRecord | null>;
  /** Privacy deletion: blanks the texts of a session's replies. Returns how many rows changed. */
  eraseBySession(sessionId: string, now: Timestamp): Promise<number>;
}
