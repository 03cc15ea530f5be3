import type { ConnectedBy, ConnectionStatus, HubSpotConnection, Timestamp } from '@opencx/shared';

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Timestamp;
}

/** Decrypted credentials of one connection. Only the token provider should ever hold this. */
export interface ConnectionTokens {
  organizationId: string;
  portalId: number;
  authMode: HubSpotConnection['authMode'];
  oauth: OAuthTokens | null;
  privateAppToken: string | null;
}

/** What both connect paths record about the connection, besides its credentials. */
export interface ConnectionDetails {
  organizationId: string;
  portalId: number;
  connectedBy: ConnectedBy;
  scopes: readonly string[];
  hubDomain: string | null;
}

export interface ConnectionsStore {
  findByPortal(portalId: number): Promise<HubSpotConnection | null>;
  findByOrganization(organizationId: string): Promise<HubSpotConnection | null>;
  /**
   * Connects or reconnects the organization over OAuth (status `connected`). A Private App token already stored
   * is kept, so switching back stays possible. Throws AppError `conflict` when the portal belongs to another
   * organization.
   */
  saveOAuthConnection(details: ConnectionDetails & { tokens: OAuthTokens }, now: Timestamp): Promise<HubSpotConnection>;
  /** The legacy path; leaves any OAuth tokens in place. Same conflict rule as saveOAuthConnection. */
  savePrivateAppConnection(details: ConnectionDetails & { token: string }, now: Timestamp): Promise<HubSpotConnection>;
  /** After a refresh; HubSpot may rotate the refresh token, so both are written. False if no such connection. */
  updateOAuthTokens(portalId: number, tokens: OAuthTokens, now: Timestamp): Promise<boolean>;
  setStatus(portalId: number, status: ConnectionStatus, reason: string | null, now: Timestamp): Promise<boolean>;
  /** The one way tokens leave the store, decrypted. Kept apart so a HubSpotConnection can never carry a token. */
  getTokens(portalId: number): Promise<ConnectionTokens | null>;
}
