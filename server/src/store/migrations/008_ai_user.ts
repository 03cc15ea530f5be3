import type { Migration } from '../migrate';

/**
 * The AI user and the legacy path's own webhook URL (postgres/008_ai_user.ts is the same for PostgreSQL):
 * - hubspot_connections.ai_user_*: the HubSpot teammate the AI posts as ("AI sender"), picked after an OAuth
 *   connect or given as the Private App form's Default User ID; NULL until then (the AI does not post).
 * - legacy_webhook_endpoints: per organization, the secret in its webhook URL (encrypted, and hashed for the
 *   lookup of an incoming request) and the Private App's client secret when the admin gave it.
 * - integration_problems: the last problems the integration hit, shown on the settings page.
 * - organizations.handoff_message: what the customer is told on a handoff (NULL: the default).
 * Additive only.
 */
export const aiUser: Migration = {
  version: 8,
  name: 'ai_user',
  sql: /* sql */ `
ALTER TABLE hubspot_connections ADD COLUMN ai_user_id INTEGER;
ALTER TABLE hubspot_connections ADD COLUMN ai_user_name TEXT;
ALTER TABLE hubspot_connections ADD COLUMN ai_user_email TEXT;
ALTER TABLE organizations ADD COLUMN handoff_message TEXT;

CREATE TABLE legacy_webhook_endpoints (
  organization_id   TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  secret_hash       TEXT NOT NULL UNIQUE,
  secret_enc        TEXT NOT NULL,
  client_secret_enc TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE integration_problems (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  organization_id TEXT,
  portal_id       INTEGER,
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  thread_id       TEXT,
  at              INTEGER NOT NULL
) STRICT;
CREATE INDEX integration_problems_by_org ON integration_problems (organization_id, id);
CREATE INDEX integration_problems_by_portal ON integration_problems (portal_id, id);
`,
};
