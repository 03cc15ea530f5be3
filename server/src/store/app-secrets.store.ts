import type { Timestamp } from '@opencx/shared';

/**
 * Server-side keys the application generates for itself (e.g. the key that signs OAuth states), kept in the
 * database encrypted with the token key, so every server process on the same database signs alike.
 */
export interface AppSecretsStore {
  /** The named 32-byte key, created on first use. Two processes racing to create it end up with the same key. */
  getOrCreateKey(name: string, now: Timestamp): Promise<Buffer>;
  /** A plain (not secret) value the application keeps for itself, e.g. how far the Webhooks Journal was read. */
  getValue(name: string): Promise<string | null>;
  setValue(name: string, value: string, now: Timestamp): Promise<void>;
}
