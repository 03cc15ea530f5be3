import type { AiUser, ConnectedBy, ConnectionStatus, HubSpotConnection, Timestamp } from '@opencx/shared';

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
  /** Sets (or clears) the AI sender of the organization's connection. False when it has no connection. */
  setAiUser(organizationId: string, aiUser: AiUser | null, now: Timestamp): Promise<boolean>;
  /** The one way tokens leave the store, decrypted. Kept apart so a HubSpotConnection can never carry a token. */
  getTokens(portalId: number): Promise<ConnectionTokens | null>;

  // Connect lifecycle (connections-lifecycle.sqlite.ts). None of these touch sessions, history or signatures.

  /** Which credentials are stored, without decrypting any (for the settings page). */
  credentialsOf(organizationId: string): Promise<StoredCredentials | null>;
  /**
   * Points the organization's connection at another portal, ahead of saving that portal's credentials in the same
   * transaction: the organization's active ticket links on the old portal become `stale` (kept, never deleted),
   * and the old portal's tokens are removed (they cannot act on the new portal). Null when the organization has no
   * connection. Throws AppError `conflict` when the new portal belongs to another organization.
   */
  moveToPortal(organizationId: string, portalId: number, now: Timestamp): Promise<{ previousPortalId: number; staleLinks: number } | null>;
  /** Disconnect: every token is deleted and the status becomes `disconnected`; the row and all data stay. */
  disconnect(portalId: number, reason: string | null, now: Timestamp): Promise<boolean>;
  /**
   * Rollback: the connection runs on its stored Private App token again and its OAuth tokens are deleted.
   * False (nothing changed) when no Private App token is stored.
   */
  switchToPrivateApp(portalId: number, connectedBy: ConnectedBy, now: Timestamp): Promise<boolean>;
  /**
   * Takes the portal's refresh lease when it is free or expired: one atomic UPDATE, so of any number of processes
   * exactly one gets it. True when `owner` now holds it.
   */
  acquireRefreshLease(portalId: number, owner: string, until: Timestamp, now: Timestamp): Promise<boolean>;
  releaseRefreshLease(portalId: number, owner: string): Promise<void>;
  /**
   * Stores refreshed tokens and frees the lease, only while `owner` still holds it and the connection is still
   * on OAuth with tokens (a disconnect or rollback during the refresh wins). True when written.
   */
  completeRefresh(portalId: number, owner: string, tokens: OAuthTokens, now: Timestamp): Promise<boolean>;
}

export interface StoredCredentials {
  oauth: boolean;
  privateApp: boolean;
}
