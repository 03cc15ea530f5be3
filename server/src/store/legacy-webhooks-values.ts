// What both engines' legacy webhook stores share: the secret's form, its lookup hash and the row's decryption.
import { createHash, randomBytes } from 'node:crypto';
import type { TokenCipher } from '../crypto/token-cipher';
import type { LegacyWebhookEndpoint } from './legacy-webhooks.store';

export interface LegacyWebhookRow {
  organization_id: string;
  secret_enc: string;
  client_secret_enc: string | null;
}

/** 32 random bytes, URL-safe: the part of the URL that authorizes a delivery. */
export const newWebhookSecret = (): string => `whs_${randomBytes(32).toString('base64url')}`;

/** Lookups go by hash, so the secret is never a plaintext index key. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const aad = (column: string, organizationId: string) => `legacy_webhook_endpoints.${column}:${organizationId}`;

export const encryptSecret = (cipher: TokenCipher, column: 'secret_enc' | 'client_secret_enc', organizationId: string, value: string) =>
  cipher.encrypt(value, aad(column, organizationId));

export function toEndpoint(row: LegacyWebhookRow, cipher: TokenCipher): LegacyWebhookEndpoint {
  return {
    organizationId: row.organization_id,
    secret: cipher.decrypt(row.secret_enc, aad('secret_enc', row.organization_id)),
    clientSecret: row.client_secret_enc === null ? null : cipher.decrypt(row.client_secret_enc, aad('client_secret_enc', row.organization_id)),
  };
}
