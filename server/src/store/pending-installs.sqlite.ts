import type { TokenCipher } from '../crypto/token-cipher';
import type { SqliteDatabase } from './db';
import type { PendingCredentials, PendingInstall, PendingInstallsStore } from './pending-installs.store';
import { fromJson, toJson } from './sqlite-values';

export interface PendingRow {
  id: string;
  kind: PendingInstall['kind'];
  auth_mode: PendingInstall['authMode'];
  portal_id: number;
  organization_id: string | null;
  session_hash: string | null;
  claim_hash: string | null;
  connected_by_user_id: number | null;
  connected_by_email: string | null;
  scopes: string;
  hub_domain: string | null;
  oauth_access_token_enc: string | null;
  oauth_refresh_token_enc: string | null;
  access_token_expires_at: number | null;
  private_app_token_enc: string | null;
  expires_at: number;
  created_at: number;
}

// AAD binds each ciphertext to its column and row (see TokenCipher).
export const pendingContextOf = (column: string, id: string) => `pending_installs.${column}:${id}`;

export function createPendingInstallsSqlite(db: SqliteDatabase, cipher: TokenCipher): PendingInstallsStore {
  const insert = db.prepare(
    `INSERT INTO pending_installs (id, kind, auth_mode, portal_id, organization_id, session_hash, claim_hash,
       connected_by_user_id, connected_by_email, scopes, hub_domain, oauth_access_token_enc, oauth_refresh_token_enc,
       access_token_expires_at, private_app_token_enc, expires_at, created_at)
     VALUES (@id, @kind, @authMode, @portalId, @organizationId, @sessionHash, @claimHash, @userId, @email, @scopes,
       @hubDomain, @access, @refresh, @accessExpiresAt, @privateApp, @expiresAt, @now)`,
  );
  const byId = db.prepare<[string, number], PendingRow>('SELECT * FROM pending_installs WHERE id = ? AND expires_at > ?');
  const byClaim = db.prepare<[string, number], PendingRow>(
    'SELECT * FROM pending_installs WHERE claim_hash = ? AND expires_at > ? ORDER BY created_at DESC, id',
  );
  const takeOne = db.prepare<[string, number], PendingRow>('DELETE FROM pending_installs WHERE id = ? AND expires_at > ? RETURNING *');
  const takeOld = db.prepare<[number], PendingRow>('DELETE FROM pending_installs WHERE expires_at <= ? RETURNING *');

  const credentialsOf = (row: PendingRow) => openCredentials(row, cipher);

  return {
    async save(install, now) {
      const { credentials: c, id } = install;
      insert.run({
        id,
        kind: install.kind,
        authMode: c.authMode,
        portalId: install.portalId,
        organizationId: install.organizationId,
        sessionHash: install.sessionHash,
        claimHash: install.claimHash,
        userId: install.connectedBy.hubspotUserId,
        email: install.connectedBy.email,
        scopes: toJson(install.scopes),
        hubDomain: install.hubDomain,
        ...sealCredentials(c, id, cipher),
        expiresAt: install.expiresAt,
        now,
      });
    },
    async get(id, now) {
      const row = byId.get(id, now);
      return row ? toPending(row) : null;
    },
    async listByClaim(claimHash, now) {
      return byClaim.all(claimHash, now).map(toPending);
    },
    async take(id, now) {
      const row = takeOne.get(id, now);
      return row ? { ...toPending(row), credentials: credentialsOf(row) } : null;
    },
    async takeExpired(now) {
      return takeOld.all(now).map(credentialsOf);
    },
  };
}

/** The sealed credential columns of a new install (AAD per column and row). */
export function sealCredentials(c: PendingCredentials, id: string, cipher: TokenCipher) {
  const seal = (column: string, value: string) => cipher.encrypt(value, pendingContextOf(column, id));
  return {
    access: c.authMode === 'oauth' ? seal('oauth_access_token_enc', c.tokens.accessToken) : null,
    refresh: c.authMode === 'oauth' ? seal('oauth_refresh_token_enc', c.tokens.refreshToken) : null,
    accessExpiresAt: c.authMode === 'oauth' ? c.tokens.expiresAt : null,
    privateApp: c.authMode === 'private_app' ? seal('private_app_token_enc', c.token) : null,
  };
}

export function openCredentials(row: PendingRow, cipher: TokenCipher): PendingCredentials {
  const open = (column: 'oauth_access_token_enc' | 'oauth_refresh_token_enc' | 'private_app_token_enc') =>
    cipher.decrypt(row[column] ?? '', pendingContextOf(column, row.id));
  if (row.auth_mode === 'private_app') return { authMode: 'private_app', token: open('private_app_token_enc') };
  return {
    authMode: 'oauth',
    tokens: {
      accessToken: open('oauth_access_token_enc'),
      refreshToken: open('oauth_refresh_token_enc'),
      expiresAt: row.access_token_expires_at ?? 0,
    },
  };
}

export function toPending(row: PendingRow): PendingInstall {
  return {
    id: row.id,
    kind: row.kind,
    portalId: row.portal_id,
    organizationId: row.organization_id,
    sessionHash: row.session_hash,
    claimHash: row.claim_hash,
    connectedBy: { hubspotUserId: row.connected_by_user_id, email: row.connected_by_email },
    scopes: fromJson<string[]>(row.scopes, 'pending_installs.scopes'),
    hubDomain: row.hub_domain,
    authMode: row.auth_mode,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}
