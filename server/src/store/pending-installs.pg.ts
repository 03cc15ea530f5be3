import type { TokenCipher } from '../crypto/token-cipher';
import { openCredentials, sealCredentials, toPending, type PendingRow } from './pending-installs.sqlite';
import type { PendingInstallsStore } from './pending-installs.store';
import type { Sql } from './pg-sql';
import { toJson } from './sqlite-values';

export function createPendingInstallsPg(sql: Sql, cipher: TokenCipher): PendingInstallsStore {
  return {
    async save(install, now) {
      const { credentials: c, id } = install;
      const sealed = sealCredentials(c, id, cipher);
      await sql.run(
        `INSERT INTO pending_installs (id, kind, auth_mode, portal_id, organization_id, session_hash, claim_hash,
           connected_by_user_id, connected_by_email, scopes, hub_domain, oauth_access_token_enc, oauth_refresh_token_enc,
           access_token_expires_at, private_app_token_enc, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          id,
          install.kind,
          c.authMode,
          install.portalId,
          install.organizationId,
          install.sessionHash,
          install.claimHash,
          install.connectedBy.hubspotUserId,
          install.connectedBy.email,
          toJson(install.scopes),
          install.hubDomain,
          sealed.access,
          sealed.refresh,
          sealed.accessExpiresAt,
          sealed.privateApp,
          install.expiresAt,
          now,
        ],
      );
    },
    async get(id, now) {
      const row = await sql.one<PendingRow>('SELECT * FROM pending_installs WHERE id = $1 AND expires_at > $2', [id, now]);
      return row ? toPending(row) : null;
    },
    async listByClaim(claimHash, now) {
      const rows = await sql.rows<PendingRow>(
        'SELECT * FROM pending_installs WHERE claim_hash = $1 AND expires_at > $2 ORDER BY created_at DESC, id',
        [claimHash, now],
      );
      return rows.map(toPending);
    },
    async take(id, now) {
      const row = await sql.one<PendingRow>('DELETE FROM pending_installs WHERE id = $1 AND expires_at > $2 RETURNING *', [id, now]);
      return row ? { ...toPending(row), credentials: openCredentials(row, cipher) } : null;
    },
    async takeExpired(now) {
      const rows = await sql.rows<PendingRow>('DELETE FROM pending_installs WHERE expires_at <= $1 RETURNING *', [now]);
      return rows.map((row) => openCredentials(row, cipher));
    },
  };
}
