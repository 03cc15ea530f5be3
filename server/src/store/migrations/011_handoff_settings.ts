import type { Migration } from '../migrate';

/**
 * The handoff sequence's per-organization settings (docs/handoff-and-sync.md, "Handoff"): whether a handoff
 * creates a ticket for a conversation that has none (on unless an admin turns it off: no row means on), the
 * owner a handed-off ticket is assigned to when no workflow or rule names one, and the pipeline and stage of
 * the tickets it creates (null: the first stage of the portal's first ticket pipeline). Its own table, not
 * columns of `organizations`, so that it only adds (see README.md).
 */
export const handoffSettings: Migration = {
  version: 11,
  name: 'handoff_settings',
  sql: /* sql */ `
CREATE TABLE handoff_settings (
  organization_id  TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  create_ticket    INTEGER NOT NULL DEFAULT 1 CHECK (create_ticket IN (0, 1)),
  default_owner_id TEXT,
  pipeline_id      TEXT,
  stage_id         TEXT,
  updated_at       INTEGER NOT NULL,
  CHECK ((pipeline_id IS NULL) = (stage_id IS NULL))
) STRICT;
`,
};
