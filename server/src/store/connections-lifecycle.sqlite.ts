import { AppError } from '../errors';
import type { TokenCipher } from '../crypto/token-cipher';
import type { ConnectionsStore } from './connections.store';
import type { SqliteDatabase } from './db';
import { isUniqueViolation } from './sqlite-values';

type Lifecycle = Pick<
  ConnectionsStore,
  'credentialsOf' | 'moveToPortal' | 'disconnect' | 'switchToPrivateApp' | 'acquireRefreshLease' | 'releaseRefreshLease' | 'completeRefresh'
>;

/** Connect's operations on hubspot_connections; `contextOf` is the AAD of connections.sqlite.ts. */
export function createConnectionLifecycleSqlite(
  db: SqliteDatabase,
  cipher: TokenCipher,
  contextOf: (column: string, organizationId: string) => string,
): Lifecycle {
  const credentials = db.prepare<[string], { oauth: number; private_app: number }>(
    `SELECT oauth_refresh_token_enc IS NOT NULL AS oauth, private_app_token_enc IS NOT NULL AS private_app
     FROM hubspot_connections WHERE organization_id = ?`,
  );
  const portalOf = db.prepare<[string], { portal_id: number }>('SELECT portal_id FROM hubspot_connections WHERE organization_id = ?');
  const orgOfPortal = db.prepare<[number], { organization_id: string }>('SELECT organization_id FROM hubspot_connections WHERE portal_id = ?');
  // Links belong to the organization through their session; another organization's links are never touched.
  const staleLinks = db.prepare(
    `UPDATE ticket_links SET status = 'stale', updated_at = @now
     WHERE portal_id = @portalId AND status = 'active'
       AND session_id IN (SELECT id FROM chat_sessions WHERE organization_id = @organizationId)`,
  );
  const repoint = db.prepare(
    `UPDATE hubspot_connections SET portal_id = @portalId, oauth_access_token_enc = NULL, oauth_refresh_token_enc = NULL,
       access_token_expires_at = NULL, private_app_token_enc = NULL, refresh_lease_until = NULL, refresh_lease_owner = NULL,
       updated_at = @now
     WHERE organization_id = @organizationId`,
  );
  const clearAll = db.prepare(
    `UPDATE hubspot_connections SET status = 'disconnected', status_reason = @reason, oauth_access_token_enc = NULL,
       oauth_refresh_token_enc = NULL, access_token_expires_at = NULL, private_app_token_enc = NULL,
       refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = @now
     WHERE portal_id = @portalId`,
  );
  const toPrivateApp = db.prepare(
    `UPDATE hubspot_connections SET auth_mode = 'private_app', status = 'connected', status_reason = NULL,
       connected_by_user_id = @userId, connected_by_email = @email, connected_at = @now,
       oauth_access_token_enc = NULL, oauth_refresh_token_enc = NULL, access_token_expires_at = NULL,
       refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = @now
     WHERE portal_id = @portalId AND private_app_token_enc IS NOT NULL`,
  );
  const takeLease = db.prepare(
    `UPDATE hubspot_connections SET refresh_lease_until = @until, refresh_lease_owner = @owner
     WHERE portal_id = @portalId AND (refresh_lease_until IS NULL OR refresh_lease_until <= @now OR refresh_lease_owner = @owner)`,
  );
  const freeLease = db.prepare(
    'UPDATE hubspot_connections SET refresh_lease_until = NULL, refresh_lease_owner = NULL WHERE portal_id = ? AND refresh_lease_owner = ?',
  );
  const writeRefreshed = db.prepare(
    `UPDATE hubspot_connections SET oauth_access_token_enc = @access, oauth_refresh_token_enc = @refresh,
       access_token_expires_at = @expiresAt, refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = @now
     WHERE portal_id = @portalId AND refresh_lease_owner = @owner AND auth_mode = 'oauth'
       AND status = 'connected' AND oauth_refresh_token_enc IS NOT NULL`,
  );

  return {
    async credentialsOf(organizationId) {
      const row = credentials.get(organizationId);
      return row ? { oauth: row.oauth === 1, privateApp: row.private_app === 1 } : null;
    },
    async moveToPortal(organizationId, portalId, now) {
      const current = portalOf.get(organizationId);
      if (!current) return null;
      if (current.portal_id === portalId) return { previousPortalId: portalId, staleLinks: 0 };
      const stale = staleLinks.run({ now, portalId: current.portal_id, organizationId }).changes;
      try {
        repoint.run({ organizationId, portalId, now });
      } catch (err) {
        if (isUniqueViolation(err)) {
          throw new AppError('conflict', `HubSpot portal ${portalId} is already connected to another organization`, { cause: err });
        }
        throw err;
      }
      return { previousPortalId: current.portal_id, staleLinks: stale };
    },
    async disconnect(portalId, reason, now) {
      return clearAll.run({ portalId, reason, now }).changes > 0;
    },
    async switchToPrivateApp(portalId, connectedBy, now) {
      return toPrivateApp.run({ portalId, userId: connectedBy.hubspotUserId, email: connectedBy.email, now }).changes > 0;
    },
    async acquireRefreshLease(portalId, owner, until, now) {
      return takeLease.run({ portalId, owner, until, now }).changes > 0;
    },
    async releaseRefreshLease(portalId, owner) {
      freeLease.run(portalId, owner);
    },
    async completeRefresh(portalId, owner, tokens, now) {
      const org = orgOfPortal.get(portalId)?.organization_id;
      if (org === undefined) return false;
      return (
        writeRefreshed.run({
          portalId,
          owner,
          access: cipher.encrypt(tokens.accessToken, contextOf('oauth_access_token_enc', org)),
          refresh: cipher.encrypt(tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
          expiresAt: tokens.expiresAt,
          now,
        }).changes > 0
      );
    },
  };
}
