import type { SignatureSettings } from '@opencx/shared';
import type { SqliteDatabase } from './db';
import type { SignaturesStore } from './signatures.store';
import { fromFlag, toFlag } from './sqlite-values';

interface SignatureRow {
  organization_id: string;
  enabled: number;
  text: string;
  updated_at: number;
}

export function createSignaturesSqlite(db: SqliteDatabase): SignaturesStore {
  const select = db.prepare<[string], SignatureRow>('SELECT * FROM signature_settings WHERE organization_id = ?');
  const upsert = db.prepare(
    `INSERT INTO signature_settings (organization_id, enabled, text, updated_at)
     VALUES (@organizationId, @enabled, @text, @updatedAt)
     ON CONFLICT (organization_id) DO UPDATE SET
       enabled = excluded.enabled, text = excluded.text, updated_at = excluded.updated_at`,
  );

  return {
    async get(organizationId) {
      const row = select.get(organizationId);
      return row
        ? { organizationId: row.organization_id, enabled: fromFlag(row.enabled), text: row.text, updatedAt: row.updated_at }
        : null;
    },
    async save(settings: SignatureSettings) {
      upsert.run({ ...settings, enabled: toFlag(settings.enabled) });
    },
  };
}
