import type { TokenCipher } from '../crypto/token-cipher';
import type { LegacyWebhooksStore } from './legacy-webhooks.store';
import { encryptSecret, newWebhookSecret, secretHash, toEndpoint, type LegacyWebhookRow } from './legacy-webhooks-values';
import type { Sql } from './pg-sql';

const COLUMNS = 'organization_id, secret_enc, client_secret_enc';

export function createLegacyWebhooksPg(sql: Sql, cipher: TokenCipher): LegacyWebhooksStore {
  const byOrg = (organizationId: string) =>
    sql.one<LegacyWebhookRow>(`SELECT ${COLUMNS} FROM legacy_webhook_endpoints WHERE organization_id = $1`, [organizationId]);
  const getOrCreate: LegacyWebhooksStore['getOrCreate'] = async (organizationId, now) => {
    if (!(await byOrg(organizationId))) {
      const secret = newWebhookSecret();
      // DO NOTHING: of two instances creating the endpoint at once, the first secret wins and both read it back.
      await sql.run(
        `INSERT INTO legacy_webhook_endpoints (organization_id, secret_hash, secret_enc, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (organization_id) DO NOTHING`,
        [organizationId, secretHash(secret), encryptSecret(cipher, 'secret_enc', organizationId, secret), now],
      );
    }
    return toEndpoint((await byOrg(organizationId))!, cipher);
  };
  return {
    getOrCreate,
    async rotate(organizationId, now) {
      await getOrCreate(organizationId, now);
      const secret = newWebhookSecret();
      await sql.run('UPDATE legacy_webhook_endpoints SET secret_hash = $1, secret_enc = $2, updated_at = $3 WHERE organization_id = $4', [
        secretHash(secret), encryptSecret(cipher, 'secret_enc', organizationId, secret), now, organizationId,
      ]);
      return toEndpoint((await byOrg(organizationId))!, cipher);
    },
    async setClientSecret(organizationId, clientSecret, now) {
      await getOrCreate(organizationId, now);
      await sql.run('UPDATE legacy_webhook_endpoints SET client_secret_enc = $1, updated_at = $2 WHERE organization_id = $3', [
        clientSecret === null ? null : encryptSecret(cipher, 'client_secret_enc', organizationId, clientSecret), now, organizationId,
      ]);
    },
    async findBySecret(secret) {
      const row = await sql.one<LegacyWebhookRow>(`SELECT ${COLUMNS} FROM legacy_webhook_endpoints WHERE secret_hash = $1`, [secretHash(secret)]);
      return row ? toEndpoint(row, cipher) : null;
    },
  };
}
