import type { Sql } from './pg-sql';
import { handoffSettingsOf, type HandoffSettingsRow, type HandoffSettingsStore } from './handoff-settings.store';

export function createHandoffSettingsPg(sql: Sql): HandoffSettingsStore {
  return {
    async get(organizationId) {
      return handoffSettingsOf(await sql.one<HandoffSettingsRow>('SELECT * FROM handoff_settings WHERE organization_id = $1', [organizationId]));
    },
    async save(organizationId, s, now) {
      await sql.run(
        `INSERT INTO handoff_settings (organization_id, create_ticket, default_owner_id, pipeline_id, stage_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (organization_id) DO UPDATE SET create_ticket = excluded.create_ticket, default_owner_id = excluded.default_owner_id,
           pipeline_id = excluded.pipeline_id, stage_id = excluded.stage_id, updated_at = excluded.updated_at`,
        [organizationId, s.createTicket, s.defaultOwnerId, s.pipelineStage?.pipelineId ?? null, s.pipelineStage?.stageId ?? null, now],
      );
    },
  };
}
