import type { Timestamp } from '@opencx/shared';

/**
 * Server-side keys the application generates for itself (e.g. the key that signs OAuth states), kept in the
 * database encrypted with the token key, so every server process on the same database signs alike.
 */
export interface AppSecretsStore {
  /** The named 32-byte key, created on first use. Two processes racing to create it end up with the same key. */
  getOrCreateKey(name: string, now: Timestamp): Promise<Buffer>;
}
