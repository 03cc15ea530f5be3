import type { SqliteDatabase } from './db';
import { handoffSettingsOf, type HandoffSettingsRow, type HandoffSettingsStore } from './handoff-settings.store';

export function createHandoffSettingsSqlite(db: SqliteDatabase): HandoffSettingsStore {
  const select = db.prepare<[string], HandoffSettingsRow>('SELECT * FROM handoff_settings WHERE organization_id = ?');
  const upsert = db.prepare(
    `INSERT INTO handoff_settings (organization_id, create_ticket, default_owner_id, pipeline_id, stage_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (organization_id) DO UPDATE SET create_ticket = excluded.create_ticket, default_owner_id = excluded.default_owner_id,
       pipeline_id = excluded.pipeline_id, stage_id = excluded.stage_id, updated_at = excluded.updated_at`,
  );
  return {
    async get(organizationId) {
      return handoffSettingsOf(select.get(organizationId));
    },
    async save(organizationId, s, now) {
      upsert.run(organizationId, s.createTicket ? 1 : 0, s.defaultOwnerId, s.pipelineStage?.pipelineId ?? null, s.pipelineStage?.stageId ?? null, now);
    },
  };
}
