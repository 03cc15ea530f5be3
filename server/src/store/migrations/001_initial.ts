import type { Migration } from '../migrate';

/**
 * Every table the first release needs, so later work (002 Connect, 003 webhooks/effects, 004 workflow actions)
 * only adds what is new. Conventions:
 * - times are epoch milliseconds (INTEGER), as in the domain;
 * - JSON lives in TEXT columns guarded by json_valid();
 * - every foreign key is ON DELETE RESTRICT: deleting an organization or a session never takes chat data,
 *   audit or tokens with it — data is removed deliberately or not at all;
 * - tables are STRICT so a wrong type is an error, not a silent coercion;
 * - columns ending in `_enc` hold TokenCipher envelopes, never plaintext.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE organizations (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  oauth_only      INTEGER NOT NULL DEFAULT 0 CHECK (oauth_only IN (0, 1)),
  unassign_policy TEXT NOT NULL DEFAULT 'stay_paused' CHECK (unassign_policy IN ('stay_paused', 'resume')),
  created_at      INTEGER NOT NULL
) STRICT;

-- One portal per organization and one organization per portal: both columns are UNIQUE.
-- The Private App token has its own column, kept when the organization moves to OAuth, so that rolling back to
-- the Private App path needs no re-entry and no migration ever destroys it.
CREATE TABLE hubspot_connections (
  organization_id         TEXT NOT NULL UNIQUE REFERENCES organizations (id) ON DELETE RESTRICT,
  portal_id               INTEGER NOT NULL UNIQUE,
  auth_mode               TEXT NOT NULL CHECK (auth_mode IN ('oauth', 'private_app')),
  status                  TEXT NOT NULL CHECK (status IN ('connected', 'reconnect_required', 'disconnected')),
  connected_by_user_id    INTEGER,
  connected_by_email      TEXT,
  connected_at            INTEGER NOT NULL,
  scopes                  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
  hub_domain              TEXT,
  status_reason           TEXT,
  oauth_access_token_enc  TEXT,
  oauth_refresh_token_enc TEXT,
  access_token_expires_at INTEGER,
  private_app_token_enc   TEXT,
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL
) STRICT;

-- thread_id is NULL for sessions without a HubSpot thread; UNIQUE lets several NULLs coexist.
CREATE TABLE chat_sessions (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  portal_id       INTEGER NOT NULL,
  thread_id       TEXT,
  contact_id      TEXT,
  channel         TEXT NOT NULL CHECK (channel IN ('chat', 'email', 'other')),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (portal_id, thread_id)
) STRICT;
CREATE INDEX chat_sessions_by_organization ON chat_sessions (organization_id);

-- UNIQUE (session_id, hubspot_message_id) makes replayed webhooks harmless: the second insert is a no-op.
CREATE TABLE chat_history (
  id                 TEXT PRIMARY KEY,
  session_id         TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  role               TEXT NOT NULL CHECK (role IN ('customer', 'ai', 'agent', 'system')),
  text               TEXT NOT NULL,
  hubspot_message_id TEXT,
  created_at         INTEGER NOT NULL,
  erased_at          INTEGER,
  UNIQUE (session_id, hubspot_message_id)
) STRICT;
CREATE INDEX chat_history_by_session_time ON chat_history (session_id, created_at);

CREATE TABLE ticket_links (
  portal_id  INTEGER NOT NULL,
  ticket_id  TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stale', 'unlinked')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (portal_id, ticket_id)
) STRICT;
CREATE INDEX ticket_links_by_session ON ticket_links (session_id);

CREATE TABLE signature_settings (
  organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  text            TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL
) STRICT;

-- status and paused_until copy fields of state so they can be indexed; the CHECKs keep the copies honest.
-- version is the optimistic-concurrency counter: writers update WHERE version = the version they read.
CREATE TABLE ai_control (
  session_id          TEXT PRIMARY KEY REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  status              TEXT NOT NULL CHECK (status IN ('active', 'paused', 'handoff_requested')),
  state               TEXT NOT NULL CHECK (json_valid(state)),
  handoff_request_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(handoff_request_ids)),
  paused_until        INTEGER,
  version             INTEGER NOT NULL CHECK (version >= 1),
  updated_at          INTEGER NOT NULL,
  CHECK (status = json_extract(state, '$.status')),
  CHECK (paused_until IS NULL OR status = 'paused')
) STRICT;
-- The timer worker's query: timed pauses whose end has passed. Partial, so it holds only timed pauses.
CREATE INDEX ai_control_timed_resumes ON ai_control (paused_until)
  WHERE status = 'paused' AND paused_until IS NOT NULL;

CREATE TABLE ai_control_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  type       TEXT NOT NULL,
  at         INTEGER NOT NULL,
  actor      TEXT NOT NULL CHECK (json_valid(actor)),
  detail     TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;
CREATE INDEX ai_control_events_by_session ON ai_control_events (session_id, id);

-- Effects decided in a transaction, performed after it by a worker (at least once; effects are idempotent).
-- AUTOINCREMENT ids give the order in which a session's effects must run.
CREATE TABLE effects_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id      TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  portal_id       INTEGER NOT NULL,
  effect          TEXT NOT NULL CHECK (json_valid(effect)),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX effects_outbox_due ON effects_outbox (status, next_attempt_at);
CREATE INDEX effects_outbox_by_session ON effects_outbox (session_id, id);

-- Webhook events stored before we answer HubSpot, processed later; dedup_key makes redelivery a no-op.
CREATE TABLE webhook_inbox (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  dedup_key         TEXT NOT NULL UNIQUE,
  portal_id         INTEGER NOT NULL,
  subscription_type TEXT NOT NULL,
  object_id         TEXT,
  ordering_key      TEXT,
  occurred_at       INTEGER NOT NULL,
  payload           TEXT NOT NULL CHECK (json_valid(payload)),
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'ignored', 'dead')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  lease_until       INTEGER,
  last_error        TEXT,
  received_at       INTEGER NOT NULL,
  processed_at      INTEGER
) STRICT;
CREATE INDEX webhook_inbox_due ON webhook_inbox (status, next_attempt_at);
CREATE INDEX webhook_inbox_ordering ON webhook_inbox (ordering_key, occurred_at);

-- One row per workflow-action callbackId: HubSpot retries get the first answer back.
-- status has no CHECK on purpose: the workflow actions work (004) settles its values without a table rebuild.
CREATE TABLE action_executions (
  callback_id     TEXT PRIMARY KEY,
  portal_id       INTEGER NOT NULL,
  action          TEXT NOT NULL,
  request         TEXT NOT NULL CHECK (json_valid(request)),
  status          TEXT NOT NULL,
  response        TEXT CHECK (response IS NULL OR json_valid(response)),
  completion      TEXT CHECK (completion IS NULL OR json_valid(completion)),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX action_executions_due ON action_executions (status, next_attempt_at);

-- Facts about the installation itself, e.g. the key check that detects a changed TOKEN_ENCRYPTION_KEY at start.
CREATE TABLE app_meta (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
};
