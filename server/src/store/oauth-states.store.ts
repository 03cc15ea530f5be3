import type { Timestamp } from '@opencx/shared';

/** One install attempt, as recorded when the admin clicked Connect. */
export interface OAuthStateRecord {
  /** SHA-256 of the state's random nonce; the nonce itself only travels through HubSpot and back. */
  nonceHash: string;
  organizationId: string;
  adminId: string;
  /** SHA-256 of the admin's session token: the callback must arrive in the same signed-in browser. */
  sessionHash: string;
  expiresAt: Timestamp;
}

export type OAuthStateRefusal = 'unknown' | 'expired' | 'used';

export interface OAuthStatesStore {
  save(state: OAuthStateRecord, now: Timestamp): Promise<void>;
  /** Reads without using it up (to check its binding first); null when unknown. */
  find(nonceHash: string): Promise<OAuthStateRecord | null>;
  /** Marks the state used and returns it, atomically: a state is accepted once, however often it comes back. */
  consume(nonceHash: string, now: Timestamp): Promise<{ state: OAuthStateRecord } | { refused: OAuthStateRefusal }>;
  /** Housekeeping: removes states that can no longer be used. */
  deleteExpired(now: Timestamp): Promise<number>;
}
