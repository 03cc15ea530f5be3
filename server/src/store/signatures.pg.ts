import type { Sql } from './pg-sql';
import type { SignaturesStore } from './signatures.store';
import { fromFlag, toFlag } from './sqlite-values';

interface SignatureRow {
  organization_id: string;
  enabled: number;
  text: string;
  updated_at: number;
}

export function createSignaturesPg(sql: Sql): SignaturesStore {
  return {
    async get(organizationId) {
      const row = await sql.one<SignatureRow>('SELECT * FROM signature_settings WHERE organization_id = $1', [organizationId]);
      return row ? { organizationId: row.organization_id, enabled: fromFlag(row.enabled), text: row.text, updatedAt: row.updated_at } : null;
    },
    async save(s) {
      await sql.run(
        `INSERT INTO signature_settings (organization_id, enabled, text, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id) DO UPDATE SET enabled = excluded.enabled, text = excluded.text, updated_at = excluded.updated_at`,
        [s.organizationId, toFlag(s.enabled), s.text, s.updatedAt],
      );
    },
  };
}
