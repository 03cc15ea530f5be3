import type { HubSpotConnection } from '@opencx/shared';
import { AppError } from '../errors';
import type { TokenCipher } from '../crypto/token-cipher';
import type { SqliteDatabase } from './db';
import type { ConnectionDetails, ConnectionsStore, ConnectionTokens } from './connections.store';
import { createConnectionLifecycleSqlite } from './connections-lifecycle.sqlite';
import { fromJson, isUniqueViolation, toJson } from './sqlite-values';

/** The columns a HubSpotConnection is built from: the *_enc columns are deliberately not among them. */
export const PUBLIC_COLUMNS = `organization_id, portal_id, auth_mode, status, connected_by_user_id, connected_by_email,
  connected_at, scopes, hub_domain, status_reason, ai_user_id, ai_user_name, ai_user_email, updated_at`;

export interface ConnectionRow {
  organization_id: string;
  portal_id: number;
  auth_mode: HubSpotConnection['authMode'];
  status: HubSpotConnection['status'];
  connected_by_user_id: number | null;
  connected_by_email: string | null;
  connected_at: number;
  scopes: string;
  hub_domain: string | null;
  status_reason: string | null;
  ai_user_id: number | null;
  ai_user_name: string | null;
  ai_user_email: string | null;
  updated_at: number;
}

export interface TokenRow {
  organization_id: string;
  portal_id: number;
  auth_mode: HubSpotConnection['authMode'];
  oauth_access_token_enc: string | null;
  oauth_refresh_token_enc: string | null;
  access_token_expires_at: number | null;
  private_app_token_enc: string | null;
}

/** AAD for each encrypted column: binds a ciphertext to its column and organization (see TokenCipher). */
export const contextOf = (column: string, organizationId: string) => `hubspot_connections.${column}:${organizationId}`;

export function createConnectionsSqlite(db: SqliteDatabase, cipher: TokenCipher): ConnectionsStore {
  const byPortal = db.prepare<[number], ConnectionRow>(`SELECT ${PUBLIC_COLUMNS} FROM hubspot_connections WHERE portal_id = ?`);
  const byOrganization = db.prepare<[string], ConnectionRow>(
    `SELECT ${PUBLIC_COLUMNS} FROM hubspot_connections WHERE organization_id = ?`,
  );
  const tokensByPortal = db.prepare<[number], TokenRow>(
    `SELECT organization_id, portal_id, auth_mode, oauth_access_token_enc, oauth_refresh_token_enc,
            access_token_expires_at, private_app_token_enc
     FROM hubspot_connections WHERE portal_id = ?`,
  );
  const orgOfPortal = db.prepare<[number], { organization_id: string }>(
    'SELECT organization_id FROM hubspot_connections WHERE portal_id = ?',
  );
  // Shared by both connect paths: who, where and when; the auth-specific columns come from the caller's SET list.
  const upsert = (authColumns: string[]) =>
    db.prepare(
      `INSERT INTO hubspot_connections (organization_id, portal_id, auth_mode, status, connected_by_user_id,
         connected_by_email, connected_at, scopes, hub_domain, status_reason, ${authColumns.join(', ')},
         created_at, updated_at)
       VALUES (@organizationId, @portalId, @authMode, 'connected', @userId, @email, @now, @scopes, @hubDomain, NULL,
         ${authColumns.map((c) => `@${c}`).join(', ')}, @now, @now)
       ON CONFLICT (organization_id) DO UPDATE SET
         portal_id = excluded.portal_id, auth_mode = excluded.auth_mode, status = 'connected',
         connected_by_user_id = excluded.connected_by_user_id, connected_by_email = excluded.connected_by_email,
         connected_at = excluded.connected_at, scopes = excluded.scopes, hub_domain = excluded.hub_domain,
         status_reason = NULL, ${authColumns.map((c) => `${c} = excluded.${c}`).join(', ')},
         updated_at = excluded.updated_at`,
    );
  const upsertOAuth = upsert(['oauth_access_token_enc', 'oauth_refresh_token_enc', 'access_token_expires_at']);
  const upsertPrivateApp = upsert(['private_app_token_enc']);
  const updateTokens = db.prepare(
    `UPDATE hubspot_connections SET oauth_access_token_enc = @access, oauth_refresh_token_enc = @refresh,
       access_token_expires_at = @expiresAt, updated_at = @now
     WHERE portal_id = @portalId`,
  );
  const updateStatus = db.prepare(
    'UPDATE hubspot_connections SET status = ?, status_reason = ?, updated_at = ? WHERE portal_id = ?',
  );
  const updateAiUser = db.prepare(
    'UPDATE hubspot_connections SET ai_user_id = ?, ai_user_name = ?, ai_user_email = ?, updated_at = ? WHERE organization_id = ?',
  );

  const runUpsert = (statement: typeof upsertOAuth, params: Record<string, unknown>, portalId: number) => {
    try {
      statement.run(params);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', `HubSpot portal ${portalId} is already connected to another organization`, { cause: err });
      }
      throw err;
    }
    return toConnection(byPortal.get(portalId)!);
  };

  const common = (d: ConnectionDetails, now: number) => ({
    organizationId: d.organizationId,
    portalId: d.portalId,
    userId: d.connectedBy.hubspotUserId,
    email: d.connectedBy.email,
    scopes: toJson(d.scopes),
    hubDomain: d.hubDomain,
    now,
  });

  return {
    ...createConnectionLifecycleSqlite(db, cipher, contextOf),
    async findByPortal(portalId) {
      const row = byPortal.get(portalId);
      return row ? toConnection(row) : null;
    },
    async findByOrganization(organizationId) {
      const row = byOrganization.get(organizationId);
      return row ? toConnection(row) : null;
    },
    async saveOAuthConnection(details, now) {
      const org = details.organizationId;
      return runUpsert(
        upsertOAuth,
        {
          ...common(details, now),
          authMode: 'oauth',
          oauth_access_token_enc: cipher.encrypt(details.tokens.accessToken, contextOf('oauth_access_token_enc', org)),
          oauth_refresh_token_enc: cipher.encrypt(details.tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
          access_token_expires_at: details.tokens.expiresAt,
        },
        details.portalId,
      );
    },
    async savePrivateAppConnection(details, now) {
      const org = details.organizationId;
      return runUpsert(
        upsertPrivateApp,
        {
          ...common(details, now),
          authMode: 'private_app',
          private_app_token_enc: cipher.encrypt(details.token, contextOf('private_app_token_enc', org)),
        },
        details.portalId,
      );
    },
    async updateOAuthTokens(portalId, tokens, now) {
      const org = orgOfPortal.get(portalId)?.organization_id;
      if (org === undefined) return false;
      const result = updateTokens.run({
        portalId,
        access: cipher.encrypt(tokens.accessToken, contextOf('oauth_access_token_enc', org)),
        refresh: cipher.encrypt(tokens.refreshToken, contextOf('oauth_refresh_token_enc', org)),
        expiresAt: tokens.expiresAt,
        now,
      });
      return result.changes > 0;
    },
    async setStatus(portalId, status, reason, now) {
      return updateStatus.run(status, reason, now, portalId).changes > 0;
    },
    async setAiUser(organizationId, aiUser, now) {
      return updateAiUser.run(aiUser?.hubspotUserId ?? null, aiUser?.name ?? null, aiUser?.email ?? null, now, organizationId).changes > 0;
    },
    async getTokens(portalId) {
      const row = tokensByPortal.get(portalId);
      return row ? decryptTokens(row, cipher) : null;
    },
  };
}

export function decryptTokens(row: TokenRow, cipher: TokenCipher): ConnectionTokens {
  const open = (column: keyof TokenRow & `${string}_enc`) => {
    const envelope = row[column];
    return envelope === null ? null : cipher.decrypt(envelope, contextOf(column, row.organization_id));
  };
  const accessToken = open('oauth_access_token_enc');
  const refreshToken = open('oauth_refresh_token_enc');
  return {
    organizationId: row.organization_id,
    portalId: row.portal_id,
    authMode: row.auth_mode,
    oauth:
      accessToken !== null && refreshToken !== null
        ? { accessToken, refreshToken, expiresAt: row.access_token_expires_at ?? 0 }
        : null,
    privateAppToken: open('private_app_token_enc'),
  };
}

export function toConnection(row: ConnectionRow): HubSpotConnection {
  return {
    organizationId: row.organization_id,
    portalId: row.portal_id,
    authMode: row.auth_mode,
    status: row.status,
    connectedBy: { hubspotUserId: row.connected_by_user_id, email: row.connected_by_email },
    connectedAt: row.connected_at,
    scopes: fromJson<string[]>(row.scopes, 'hubspot_connections.scopes'),
    hubDomain: row.hub_domain,
    statusReason: row.status_reason,
    aiUser: row.ai_user_id === null ? null : { hubspotUserId: row.ai_user_id, name: row.ai_user_name, email: row.ai_user_email },
    updatedAt: row.updated_at,
  };
}
