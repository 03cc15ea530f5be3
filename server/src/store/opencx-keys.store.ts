import type { Timestamp } from '@opencx/shared';

/** What OpenCX last refused for an organization's key (401/403/400), until a call succeeds. */
export interface OpenCxKeyError {
  code: string;
  message: string;
  at: Timestamp;
}

export interface OpenCxKeyRecord {
  organizationId: string;
  /** Decrypted; never log it, never render it (the page shows `keyEnding`). */
  apiKey: string;
  keyEnding: string;
  updatedAt: Timestamp;
  lastError: OpenCxKeyError | null;
}

/** Each organization's OpenCX API key, encrypted at rest with the TokenCipher (migration 008). */
export interface OpenCxKeysStore {
  get(organizationId: string): Promise<OpenCxKeyRecord | null>;
  /** Sets or replaces the key; a new key starts without an error. */
  save(organizationId: string, apiKey: string, now: Timestamp): Promise<void>;
  /** False when the organization had no key. */
  remove(organizationId: string): Promise<boolean>;
  recordError(organizationId: string, error: OpenCxKeyError): Promise<void>;
  clearError(organizationId: string): Promise<void>;
  /** How many organizations have a key (the start-up log says when none has). */
  countConfigured(): Promise<number>;
}

/** The last four characters, all an admin needs to recognise a key ("set, ending in …4f2a"). */
export const keyEndingOf = (apiKey: string): string => apiKey.slice(-4);

/** AAD of the encrypted column: the ciphertext only decrypts as this organization's key (see TokenCipher). */
export const opencxKeyContext = (organizationId: string): string => `opencx_api_key:${organizationId}`;

export interface OpenCxKeyRow {
  organization_id: string;
  api_key_enc: string;
  key_ending: string;
  updated_at: number | string;
  last_error_code: string | null;
  last_error_message: string | null;
  last_error_at: number | string | null;
}

export const keyRecordOf = (row: OpenCxKeyRow, decrypt: (envelope: string, context: string) => string): OpenCxKeyRecord => ({
  organizationId: row.organization_id,
  apiKey: decrypt(row.api_key_enc, opencxKeyContext(row.organization_id)),
  keyEnding: row.key_ending,
  updatedAt: Number(row.updated_at),
  lastError:
    row.last_error_code !== null && row.last_error_at !== null
      ? { code: row.last_error_code, message: row.last_error_message ?? '', at: Number(row.last_error_at) }
      : null,
});
