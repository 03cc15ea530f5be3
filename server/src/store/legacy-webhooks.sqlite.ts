import type { TokenCipher } from '../crypto/token-cipher';
import type { SqliteDatabase } from './db';
import type { LegacyWebhooksStore } from './legacy-webhooks.store';
import { encryptSecret, newWebhookSecret, secretHash, toEndpoint, type LegacyWebhookRow } from './legacy-webhooks-values';

export function createLegacyWebhooksSqlite(db: SqliteDatabase, cipher: TokenCipher): LegacyWebhooksStore {
  const byOrg = db.prepare<[string], LegacyWebhookRow>('SELECT organization_id, secret_enc, client_secret_enc FROM legacy_webhook_endpoints WHERE organization_id = ?');
  const byHash = db.prepare<[string], LegacyWebhookRow>('SELECT organization_id, secret_enc, client_secret_enc FROM legacy_webhook_endpoints WHERE secret_hash = ?');
  // DO NOTHING: of two requests creating the endpoint at once, the first secret wins and both read it back.
  const insert = db.prepare(
    `INSERT INTO legacy_webhook_endpoints (organization_id, secret_hash, secret_enc, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (organization_id) DO NOTHING`,
  );
  const updateSecret = db.prepare('UPDATE legacy_webhook_endpoints SET secret_hash = ?, secret_enc = ?, updated_at = ? WHERE organization_id = ?');
  const updateClientSecret = db.prepare('UPDATE legacy_webhook_endpoints SET client_secret_enc = ?, updated_at = ? WHERE organization_id = ?');

  const getOrCreate: LegacyWebhooksStore['getOrCreate'] = async (organizationId, now) => {
    if (!byOrg.get(organizationId)) {
      const secret = newWebhookSecret();
      insert.run(organizationId, secretHash(secret), encryptSecret(cipher, 'secret_enc', organizationId, secret), now, now);
    }
    return toEndpoint(byOrg.get(organizationId)!, cipher);
  };
  return {
    getOrCreate,
    async rotate(organizationId, now) {
      await getOrCreate(organizationId, now);
      const secret = newWebhookSecret();
      updateSecret.run(secretHash(secret), encryptSecret(cipher, 'secret_enc', organizationId, secret), now, organizationId);
      return toEndpoint(byOrg.get(organizationId)!, cipher);
    },
    async setClientSecret(organizationId, clientSecret, now) {
      await getOrCreate(organizationId, now);
      updateClientSecret.run(clientSecret === null ? null : encryptSecret(cipher, 'client_secret_enc', organizationId, clientSecret), now, organizationId);
    },
    async findBySecret(secret) {
      const row = byHash.get(secretHash(secret));
      return row ? toEndpoint(row, cipher) : null;
    },
  };
}
