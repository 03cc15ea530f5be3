import type { Migration } from '../../migrate';

/** ../003_connect.ts for PostgreSQL: admins, sign-in, OAuth states, pending installs, the refresh lease. */
export const connect: Migration = {
  version: 3,
  name: 'connect',
  sql: /* sql */ `
CREATE TABLE admins (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  email           TEXT NOT NULL,
  name            TEXT,
  created_at      BIGINT NOT NULL,
  UNIQUE (organization_id, email)
);

CREATE TABLE admin_sign_in_links (
  token_hash TEXT PRIMARY KEY,
  admin_id   TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  admin_id   TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);

CREATE TABLE oauth_states (
  nonce_hash      TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  admin_id        TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  session_hash    TEXT NOT NULL,
  expires_at      BIGINT NOT NULL,
  used_at         BIGINT,
  created_at      BIGINT NOT NULL
);

CREATE TABLE pending_installs (
  id                      TEXT PRIMARY KEY,
  kind                    TEXT NOT NULL CHECK (kind IN ('marketplace', 'portal_change')),
  auth_mode               TEXT NOT NULL CHECK (auth_mode IN ('oauth', 'private_app')),
  portal_id               BIGINT NOT NULL,
  organization_id         TEXT REFERENCES organizations (id) ON DELETE RESTRICT,
  session_hash            TEXT,
  claim_hash              TEXT,
  connected_by_user_id    BIGINT,
  connected_by_email      TEXT,
  scopes                  TEXT NOT NULL DEFAULT '[]' CHECK (scopes::jsonb IS NOT NULL),
  hub_domain              TEXT,
  oauth_access_token_enc  TEXT,
  oauth_refresh_token_enc TEXT,
  access_token_expires_at BIGINT,
  private_app_token_enc   TEXT,
  expires_at              BIGINT NOT NULL,
  created_at              BIGINT NOT NULL,
  CHECK (kind <> 'marketplace' OR claim_hash IS NOT NULL),
  CHECK (kind <> 'portal_change' OR (organization_id IS NOT NULL AND session_hash IS NOT NULL))
);
CREATE INDEX pending_installs_by_claim ON pending_installs (claim_hash);
CREATE INDEX pending_installs_by_organization ON pending_installs (organization_id);

ALTER TABLE hubspot_connections ADD COLUMN refresh_lease_until BIGINT;
ALTER TABLE hubspot_connections ADD COLUMN refresh_lease_owner TEXT;
`,
};
