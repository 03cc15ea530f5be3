import type { Migration } from '../migrate';

/**
 * Connect HubSpot: who may administer an organization, how they sign in, the OAuth round trip and the
 * cross-process refresh lease. Every secret here is stored hashed (sign-in links, sessions, OAuth states,
 * marketplace claims) or encrypted (`_enc` columns), never in plaintext.
 */
export const connect: Migration = {
  version: 3,
  name: 'connect',
  sql: /* sql */ `
CREATE TABLE admins (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  email           TEXT NOT NULL,
  name            TEXT,
  created_at      INTEGER NOT NULL,
  UNIQUE (organization_id, email)
) STRICT;

-- One-time sign-in links: only the SHA-256 of the token is kept; used_at makes them single-use.
CREATE TABLE admin_sign_in_links (
  token_hash TEXT PRIMARY KEY,
  admin_id   TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  created_at INTEGER NOT NULL
) STRICT;

-- Signed-in browsers: the cookie holds the token, this table its SHA-256.
CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  admin_id   TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);

-- The OAuth state of one install attempt, bound to the organization and the admin's session; single-use.
CREATE TABLE oauth_states (
  nonce_hash      TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  admin_id        TEXT NOT NULL REFERENCES admins (id) ON DELETE RESTRICT,
  session_hash    TEXT NOT NULL,
  expires_at      INTEGER NOT NULL,
  used_at         INTEGER,
  created_at      INTEGER NOT NULL
) STRICT;

-- Grants that HubSpot gave us but no organization holds yet:
--   marketplace:   a callback without our state; claimed by the browser that finished the consent (claim_hash)
--                  once an admin signs in there and attaches it;
--   portal_change: a reconnect that chose another portal; waits for the admin's confirmation (session_hash).
CREATE TABLE pending_installs (
  id                      TEXT PRIMARY KEY,
  kind                    TEXT NOT NULL CHECK (kind IN ('marketplace', 'portal_change')),
  auth_mode               TEXT NOT NULL CHECK (auth_mode IN ('oauth', 'private_app')),
  portal_id               INTEGER NOT NULL,
  organization_id         TEXT REFERENCES organizations (id) ON DELETE RESTRICT,
  session_hash            TEXT,
  claim_hash              TEXT,
  connected_by_user_id    INTEGER,
  connected_by_email      TEXT,
  scopes                  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
  hub_domain              TEXT,
  oauth_access_token_enc  TEXT,
  oauth_refresh_token_enc TEXT,
  access_token_expires_at INTEGER,
  private_app_token_enc   TEXT,
  expires_at              INTEGER NOT NULL,
  created_at              INTEGER NOT NULL,
  CHECK (kind <> 'marketplace' OR claim_hash IS NOT NULL),
  CHECK (kind <> 'portal_change' OR (organization_id IS NOT NULL AND session_hash IS NOT NULL))
) STRICT;
CREATE INDEX pending_installs_by_claim ON pending_installs (claim_hash);
CREATE INDEX pending_installs_by_organization ON pending_installs (organization_id);

-- Only one process refreshes a portal's access token at a time: the one whose UPDATE set these columns.
ALTER TABLE hubspot_connections ADD COLUMN refresh_lease_until INTEGER;
ALTER TABLE hubspot_connections ADD COLUMN refresh_lease_owner TEXT;
`,
};
