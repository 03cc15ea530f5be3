import type { Migration } from '../../migrate';

/** ../011_handoff_settings.ts for PostgreSQL. */
export const handoffSettings: Migration = {
  version: 11,
  name: 'handoff_settings',
  sql: /* sql */ `
CREATE TABLE handoff_settings (
  organization_id  TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  create_ticket    BOOLEAN NOT NULL DEFAULT TRUE,
  default_owner_id TEXT,
  pipeline_id      TEXT,
  stage_id         TEXT,
  updated_at       BIGINT NOT NULL,
  CHECK ((pipeline_id IS NULL) = (stage_id IS NULL))
);
`,
};
