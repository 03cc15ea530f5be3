import type { Timestamp } from '@opencx/shared';

/** What a handoff does for an organization (migration 010). */
export interface HandoffSettings {
  /** Create a ticket for a conversation that has none. */
  createTicket: boolean;
  /** HubSpot owner id (`hubspot_owner_id`) of the handed-off ticket, unless a workflow or rule names another. */
  defaultOwnerId: string | null;
  /** Pipeline and stage of created tickets; null: the first stage of the portal's first ticket pipeline. */
  pipelineStage: { pipelineId: string; stageId: string } | null;
}

/** An organization that never saved the form: tickets on, no owner, HubSpot's first pipeline. */
export const DEFAULT_HANDOFF_SETTINGS: HandoffSettings = { createTicket: true, defaultOwnerId: null, pipelineStage: null };

export interface HandoffSettingsStore {
  get(organizationId: string): Promise<HandoffSettings>;
  save(organizationId: string, settings: HandoffSettings, now: Timestamp): Promise<void>;
}

export interface HandoffSettingsRow {
  create_ticket: number | boolean;
  default_owner_id: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
}

export const handoffSettingsOf = (row: HandoffSettingsRow | undefined | null): HandoffSettings =>
  row
    ? {
        createTicket: Boolean(row.create_ticket),
        defaultOwnerId: row.default_owner_id,
        pipelineStage: row.pipeline_id !== null && row.stage_id !== null ? { pipelineId: row.pipeline_id, stageId: row.stage_id } : null,
      }
    : DEFAULT_HANDOFF_SETTINGS;
