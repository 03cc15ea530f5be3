import type { ConnectedBy, Timestamp } from '@opencx/shared';
import type { OAuthTokens } from './connections.store';

/** The credentials a pending install holds, encrypted at rest like a connection's. */
export type PendingCredentials = { authMode: 'oauth'; tokens: OAuthTokens } | { authMode: 'private_app'; token: string };

/**
 * A grant from HubSpot that no organization holds yet (see migration 003):
 * - `marketplace`: installed from HubSpot without our state; claimable by the browser holding the claim cookie;
 * - `portal_change`: a reconnect that chose another portal, waiting for the same admin session to confirm.
 */
export interface PendingInstall {
  id: string;
  kind: 'marketplace' | 'portal_change';
  portalId: number;
  organizationId: string | null;
  sessionHash: string | null;
  claimHash: string | null;
  connectedBy: ConnectedBy;
  scopes: readonly string[];
  hubDomain: string | null;
  authMode: PendingCredentials['authMode'];
  expiresAt: Timestamp;
  createdAt: Timestamp;
}

export interface PendingInstallsStore {
  save(install: Omit<PendingInstall, 'authMode' | 'createdAt'> & { credentials: PendingCredentials }, now: Timestamp): Promise<void>;
  /** Without credentials; null when unknown or expired. */
  get(id: string, now: Timestamp): Promise<PendingInstall | null>;
  /** The marketplace installs this browser finished (its claim cookie), newest first. */
  listByClaim(claimHash: string, now: Timestamp): Promise<PendingInstall[]>;
  /**
   * Removes the install and hands over its credentials, in one statement: an install is attached or confirmed
   * once. Inside a transaction, a failure after `take` puts it back (rollback).
   */
  take(id: string, now: Timestamp): Promise<(PendingInstall & { credentials: PendingCredentials }) | null>;
  /** Removes expired installs and returns their credentials, so the caller can revoke what nobody claimed. */
  takeExpired(now: Timestamp): Promise<PendingCredentials[]>;
}
