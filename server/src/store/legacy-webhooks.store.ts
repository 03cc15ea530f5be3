import type { Timestamp } from '@opencx/shared';

/**
 * The legacy (Private App) path's own webhook URL, one per organization: HubSpot signs a Private App's webhooks
 * with that app's client secret, which OpenCX does not have unless the admin gives it, so the URL itself carries
 * an unguessable secret ("treat it like a password"). Stored encrypted, and hashed for the lookup of a request.
 */
export interface LegacyWebhookEndpoint {
  organizationId: string;
  /** The secret in the URL; shown to the admin, never logged. */
  secret: string;
  /** The Private App's client secret, when given: its v3 signature is then checked as well. */
  clientSecret: string | null;
}

export interface LegacyWebhooksStore {
  /** The organization's endpoint, created with a fresh secret on first use. */
  getOrCreate(organizationId: string, now: Timestamp): Promise<LegacyWebhookEndpoint>;
  /** A new secret: the old URL stops working at once. */
  rotate(organizationId: string, now: Timestamp): Promise<LegacyWebhookEndpoint>;
  /** Sets or clears the Private App's client secret. */
  setClientSecret(organizationId: string, clientSecret: string | null, now: Timestamp): Promise<void>;
  /** The endpoint whose secret this is, or null. */
  findBySecret(secret: string): Promise<LegacyWebhookEndpoint | null>;
}
