import type { Migration } from '../../migrate';

/** The AI user, the legacy path's own webhook URL and the problems list: see ../008_ai_user.ts. */
export const aiUser: Migration = {
  version: 8,
  name: 'ai_user',
  sql: /* sql */ `
ALTER TABLE hubspot_connections ADD COLUMN ai_user_id BIGINT;
ALTER TABLE hubspot_connections ADD COLUMN ai_user_name TEXT;
ALTER TABLE hubspot_connections ADD COLUMN ai_user_email TEXT;
ALTER TABLE organizations ADD COLUMN handoff_message TEXT;

CREATE TABLE legacy_webhook_endpoints (
  organization_id   TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  secret_hash       TEXT NOT NULL UNIQUE,
  secret_enc        TEXT NOT NULL,
  client_secret_enc TEXT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);

CREATE TABLE integration_problems (
  id              BIGSERIAL PRIMARY KEY,
  organization_id TEXT,
  portal_id       BIGINT,
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  thread_id       TEXT,
  at              BIGINT NOT NULL
);
CREATE INDEX integration_problems_by_org ON integration_problems (organization_id, id);
CREATE INDEX integration_problems_by_portal ON integration_problems (portal_id, id);
`,
};
