import { AppError } from '../errors';
import type { TokenCipher } from '../crypto/token-cipher';
import type { ConnectionsStore } from './connections.store';
import { contextOf } from './connections.sqlite';
import { isPgUniqueViolation, type Sql } from './pg-sql';

type Lifecycle = Pick<
  ConnectionsStore,
  'credentialsOf' | 'moveToPortal' | 'disconnect' | 'switchToPrivateApp' | 'acquireRefreshLease' | 'releaseRefreshLease' | 'completeRefresh'
>;

/** connections-lifecycle.sqlite.ts for PostgreSQL; each guard is one UPDATE, so of several instances one wins. */
export function createConnectionLifecyclePg(sql: Sql, cipher: TokenCipher): Lifecycle {
  return {
    async credentialsOf(organizationId) {
      const row = await sql.one<{ oauth: boolean; private_app: boolean }>(
        `SELECT oauth_refresh_token_enc IS NOT NULL AS oauth, private_app_token_enc IS NOT NULL AS private_app
         FROM hubspot_connections WHERE organization_id = $1`,
        [organizationId],
      );
      return row ? { oauth: row.oauth, privateApp: row.private_app } : null;
    },
    async moveToPortal(organizationId, portalId, now) {
      const current = await sql.one<{ portal_id: number }>('SELECT portal_id FROM hubspot_connections WHERE organization_id = $1', [organizationId]);
      if (!current) return null;
      if (current.portal_id === portalId) return { previousPortalId: portalId, staleLinks: 0 };
      // Links belong to the organization through their session; another organization's links are never touched.
      const stale = await sql.run(
        `UPDATE ticket_links SET status = 'stale', updated_at = $1
         WHERE portal_id = $2 AND status = 'active' AND session_id IN (SELECT id FROM chat_sessions WHERE organization_id = $3)`,
        [now, current.portal_id, organizationId],
      );
      try {
        await sql.run(
          `UPDATE hubspot_connections SET portal_id = $1, oauth_access_token_enc = NULL, oauth_refresh_token_enc = NULL,
             access_token_expires_at = NULL, private_app_token_enc = NULL, refresh_lease_until = NULL, refresh_lease_owner = NULL,
             updated_at = $2
           WHERE organization_id = $3`,
          [portalId, now, organizationId],
        );
      } catch (err) {
        if (isPgUniqueViolation(err)) {
          throw new AppError('conflict', `HubSpot portal ${portalId} is already connected to another organization`, { cause: err });
        }
        throw err;
      }
      return { previousPortalId: current.portal_id, staleLinks: stale };
    },
    async disconnect(portalId, reason, now) {
      const changed = await sql.run(
        `UPDATE hubspot_connections SET status = 'disconnected', status_reason = $1, oauth_access_token_enc = NULL,
           oauth_refresh_token_enc = NULL, access_token_expires_at = NULL, private_app_token_enc = NULL,
           refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = $2
         WHERE portal_id = $3`,
        [reason, now, portalId],
      );
      return changed > 0;
    },
    async switchToPrivateApp(portalId, connectedBy, now) {
      const changed = await sql.run(
        `UPDATE hubspot_connections SET auth_mode = 'private_app', status = 'connected', status_reason = NULL,
           connected_by_user_id = $1, connected_by_email = $2, connected_at = $3,
           oauth_access_token_enc = NULL, oauth_refresh_token_enc = NULL, access_token_expires_at = NULL,
           refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = $3
         WHERE portal_id = $4 AND private_app_token_enc IS NOT NULL`,
        [connectedBy.hubspotUserId, connectedBy.email, now, portalId],
      );
      return changed > 0;
    },
    async acquireRefreshLease(portalId, owner, until, now) {
      // A second instance's UPDATE waits for the first one's row lock, then re-reads the lease and finds it taken.
      const taken = await sql.run(
        `UPDATE hubspot_connections SET refresh_lease_until = $1, refresh_lease_owner = $2
         WHERE portal_id = $3 AND (refresh_lease_until IS NULL OR refresh_lease_until <= $4 OR refresh_lease_owner = $2)`,
        [until, owner, portalId, now],
      );
      return taken > 0;
    },
    async releaseRefreshLease(portalId, owner) {
      await sql.run('UPDATE hubspot_connections SET refresh_lease_until = NULL, refresh_lease_owner = NULL WHERE portal_id = $1 AND refresh_lease_owner = $2', [
        portalId,
        owner,
      ]);
    },
    async completeRefresh(portalId, owner, tokens, now) {
      const org = (await sql.one<{ organization_id: string }>('SELECT organization_id FROM hubspot_connections WHERE portal_id = $1', [portalId]))
        ?.organization_id;
      if (org === undefined) return false;
      const changed = await sql.run(
        `UPDATE hubspot_connections SET oauth_access_token_enc = $1, oauth_refresh_token_enc = $2, access_token_expires_at = $3,
           refresh_lease_until = NULL, refresh_lease_owner = NULL, updated_at = $4
         WHERE portal_id = $5 AND refresh_lease_owner = $6 AND auth_mode = 'oauth' AND status = 'connected' AND oauth_refresh_token_enc IS NOT NULL`,
        [
          cipher.encrypt(tokens.accessToken, contextOf('oauth_access_token_enc', org)),
          cipher.encrypt(tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
          tokens.expiresAt,
          now,
          portalId,
          owner,
        ],
      );
      return changed > 0;
    },
  };
}
