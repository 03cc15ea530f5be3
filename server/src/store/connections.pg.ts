import { AppError } from '../errors';
import type { TokenCipher } from '../crypto/token-cipher';
import type { ConnectionDetails, ConnectionsStore } from './connections.store';
import { contextOf, decryptTokens, PUBLIC_COLUMNS, toConnection, type ConnectionRow, type TokenRow } from './connections.sqlite';
import { createConnectionLifecyclePg } from './connections-lifecycle.pg';
import { isPgUniqueViolation, type Sql } from './pg-sql';
import { toJson } from './sqlite-values';

// Shared by both connect paths: who, where and when; the auth-specific columns (from $8 on) come from the caller.
const upsertSql = (authColumns: string[]) => `
  INSERT INTO hubspot_connections (organization_id, portal_id, auth_mode, status, connected_by_user_id,
    connected_by_email, connected_at, scopes, hub_domain, status_reason, ${authColumns.join(', ')}, created_at, updated_at)
  VALUES ($1, $2, $3, 'connected', $4, $5, $6, $7, $8, NULL, ${authColumns.map((_, i) => `$${i + 9}`).join(', ')}, $6, $6)
  ON CONFLICT (organization_id) DO UPDATE SET
    portal_id = excluded.portal_id, auth_mode = excluded.auth_mode, status = 'connected',
    connected_by_user_id = excluded.connected_by_user_id, connected_by_email = excluded.connected_by_email,
    connected_at = excluded.connected_at, scopes = excluded.scopes, hub_domain = excluded.hub_domain,
    status_reason = NULL, ${authColumns.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;
const UPSERT_OAUTH = upsertSql(['oauth_access_token_enc', 'oauth_refresh_token_enc', 'access_token_expires_at']);
const UPSERT_PRIVATE_APP = upsertSql(['private_app_token_enc']);

export function createConnectionsPg(sql: Sql, cipher: TokenCipher): ConnectionsStore {
  const byPortal = (portalId: number) => sql.one<ConnectionRow>(`SELECT ${PUBLIC_COLUMNS} FROM hubspot_connections WHERE portal_id = $1`, [portalId]);
  const orgOfPortal = async (portalId: number) =>
    (await sql.one<{ organization_id: string }>('SELECT organization_id FROM hubspot_connections WHERE portal_id = $1', [portalId]))?.organization_id;

  const upsert = async (text: string, d: ConnectionDetails, authMode: string, auth: unknown[], now: number) => {
    try {
      await sql.run(text, [d.organizationId, d.portalId, authMode, d.connectedBy.hubspotUserId, d.connectedBy.email, now, toJson(d.scopes), d.hubDomain, ...auth]);
    } catch (err) {
      if (isPgUniqueViolation(err)) {
        throw new AppError('conflict', `HubSpot portal ${d.portalId} is already connected to another organization`, { cause: err });
      }
      throw err;
    }
    return toConnection((await byPortal(d.portalId))!);
  };

  return {
    ...createConnectionLifecyclePg(sql, cipher),
    async findByPortal(portalId) {
      const row = await byPortal(portalId);
      return row ? toConnection(row) : null;
    },
    async findByOrganization(organizationId) {
      const row = await sql.one<ConnectionRow>(`SELECT ${PUBLIC_COLUMNS} FROM hubspot_connections WHERE organization_id = $1`, [organizationId]);
      return row ? toConnection(row) : null;
    },
    async saveOAuthConnection(details, now) {
      const org = details.organizationId;
      const { tokens } = details;
      return upsert(
        UPSERT_OAUTH,
        details,
        'oauth',
        [
          cipher.encrypt(tokens.accessToken, contextOf('oauth_access_token_enc', org)),
          cipher.encrypt(tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
          tokens.expiresAt,
        ],
        now,
      );
    },
    async savePrivateAppConnection(details, now) {
      const sealed = cipher.encrypt(details.token, contextOf('private_app_token_enc', details.organizationId));
      return upsert(UPSERT_PRIVATE_APP, details, 'private_app', [sealed], now);
    },
    async updateOAuthTokens(portalId, tokens, now) {
      const org = await orgOfPortal(portalId);
      if (org === undefined) return false;
      const changed = await sql.run(
        `UPDATE hubspot_connections SET oauth_access_token_enc = $1, oauth_refresh_token_enc = $2, access_token_expires_at = $3, updated_at = $4
         WHERE portal_id = $5`,
        [
          cipher.encrypt(tokens.accessToken, contextOf('oauth_access_token_enc', org)),
          cipher.encrypt(tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
          tokens.expiresAt,
          now,
          portalId,
        ],
      );
      return changed > 0;
    },
    async setStatus(portalId, status, reason, now) {
      return (await sql.run('UPDATE hubspot_connections SET status = $1, status_reason = $2, updated_at = $3 WHERE portal_id = $4', [status, reason, now, portalId])) > 0;
    },
    async setAiUser(organizationId, aiUser, now) {
      return (await sql.run(
        'UPDATE hubspot_connections SET ai_user_id = $1, ai_user_name = $2, ai_user_email = $3, updated_at = $4 WHERE organization_id = $5',
        [aiUser?.hubspotUserId ?? null, aiUser?.name ?? null, aiUser?.email ?? null, now, organizationId],
      )) > 0;
    },
    async getTokens(portalId) {
      const row = await sql.one<TokenRow>(
        `SELECT organization_id, portal_id, auth_mode, oauth_access_token_enc, oauth_refresh_token_enc, access_token_expires_at, private_app_token_enc
         FROM hubspot_connections WHERE portal_id = $1`,
        [portalId],
      );
      return row ? decryptTokens(row, cipher) : null;
    },
  };
}
