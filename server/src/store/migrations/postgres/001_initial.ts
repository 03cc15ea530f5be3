import type { Migration } from '../../migrate';

/**
 * PostgreSQL's 001: the tables of ../001_initial.ts, column for column. Differences are the engine's, not the
 * model's: BIGINT for epoch milliseconds and HubSpot ids, identity columns for AUTOINCREMENT, a cast to jsonb in
 * the CHECKs where SQLite calls json_valid, and chat_history.seq standing in for SQLite's rowid (the tie-break
 * of messages written in the same millisecond).
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
  created_at      BIGINT NOT NULL
);

CREATE TABLE hubspot_connections (
  organization_id         TEXT NOT NULL UNIQUE REFERENCES organizations (id) ON DELETE RESTRICT,
  portal_id               BIGINT NOT NULL UNIQUE,
  auth_mode               TEXT NOT NULL CHECK (auth_mode IN ('oauth', 'private_app')),
  status                  TEXT NOT NULL CHECK (status IN ('connected', 'reconnect_required', 'disconnected')),
  connected_by_user_id    BIGINT,
  connected_by_email      TEXT,
  connected_at            BIGINT NOT NULL,
  scopes                  TEXT NOT NULL DEFAULT '[]' CHECK (scopes::jsonb IS NOT NULL),
  hub_domain              TEXT,
  status_reason           TEXT,
  oauth_access_token_enc  TEXT,
  oauth_refresh_token_enc TEXT,
  access_token_expires_at BIGINT,
  private_app_token_enc   TEXT,
  created_at              BIGINT NOT NULL,
  updated_at              BIGINT NOT NULL
);

-- thread_id is NULL for sessions without a HubSpot thread; UNIQUE lets several NULLs coexist.
CREATE TABLE chat_sessions (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  portal_id       BIGINT NOT NULL,
  thread_id       TEXT,
  contact_id      TEXT,
  channel         TEXT NOT NULL CHECK (channel IN ('chat', 'email', 'other')),
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  UNIQUE (portal_id, thread_id)
);
CREATE INDEX chat_sessions_by_organization ON chat_sessions (organization_id);

CREATE TABLE chat_history (
  id                 TEXT PRIMARY KEY,
  seq                BIGINT GENERATED ALWAYS AS IDENTITY,
  session_id         TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  role               TEXT NOT NULL CHECK (role IN ('customer', 'ai', 'agent', 'system')),
  text               TEXT NOT NULL,
  hubspot_message_id TEXT,
  created_at         BIGINT NOT NULL,
  erased_at          BIGINT,
  UNIQUE (session_id, hubspot_message_id)
);
CREATE INDEX chat_history_by_session_time ON chat_history (session_id, created_at, seq);

CREATE TABLE ticket_links (
  portal_id  BIGINT NOT NULL,
  ticket_id  TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stale', 'unlinked')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (portal_id, ticket_id)
);
CREATE INDEX ticket_links_by_session ON ticket_links (session_id);

CREATE TABLE signature_settings (
  organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  text            TEXT NOT NULL DEFAULT '',
  updated_at      BIGINT NOT NULL
);

CREATE TABLE ai_control (
  session_id          TEXT PRIMARY KEY REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  status              TEXT NOT NULL CHECK (status IN ('active', 'paused', 'handoff_requested')),
  state               TEXT NOT NULL CHECK (state::jsonb IS NOT NULL),
  handoff_request_ids TEXT NOT NULL DEFAULT '[]' CHECK (handoff_request_ids::jsonb IS NOT NULL),
  paused_until        BIGINT,
  version             INTEGER NOT NULL CHECK (version >= 1),
  updated_at          BIGINT NOT NULL,
  CHECK (status = state::jsonb ->> 'status'),
  CHECK (paused_until IS NULL OR status = 'paused')
);
CREATE INDEX ai_control_timed_resumes ON ai_control (paused_until)
  WHERE status = 'paused' AND paused_until IS NOT NULL;

CREATE TABLE ai_control_events (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  type       TEXT NOT NULL,
  at         BIGINT NOT NULL,
  actor      TEXT NOT NULL CHECK (actor::jsonb IS NOT NULL),
  detail     TEXT NOT NULL CHECK (detail::jsonb IS NOT NULL)
);
CREATE INDEX ai_control_events_by_session ON ai_control_events (session_id, id);

CREATE TABLE effects_outbox (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id      TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  portal_id       BIGINT NOT NULL,
  effect          TEXT NOT NULL CHECK (effect::jsonb IS NOT NULL),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX effects_outbox_due ON effects_outbox (status, next_attempt_at);
CREATE INDEX effects_outbox_by_session ON effects_outbox (session_id, id);

CREATE TABLE webhook_inbox (
  id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedup_key         TEXT NOT NULL UNIQUE,
  portal_id         BIGINT NOT NULL,
  subscription_type TEXT NOT NULL,
  object_id         TEXT,
  ordering_key      TEXT,
  occurred_at       BIGINT NOT NULL,
  payload           TEXT NOT NULL CHECK (payload::jsonb IS NOT NULL),
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'done', 'ignored', 'dead')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   BIGINT NOT NULL,
  lease_until       BIGINT,
  last_error        TEXT,
  received_at       BIGINT NOT NULL,
  processed_at      BIGINT
);
CREATE INDEX webhook_inbox_due ON webhook_inbox (status, next_attempt_at);
CREATE INDEX webhook_inbox_ordering ON webhook_inbox (ordering_key, occurred_at);

CREATE TABLE action_executions (
  callback_id     TEXT PRIMARY KEY,
  portal_id       BIGINT NOT NULL,
  action          TEXT NOT NULL,
  request         TEXT NOT NULL CHECK (request::jsonb IS NOT NULL),
  status          TEXT NOT NULL,
  response        TEXT CHECK (response IS NULL OR response::jsonb IS NOT NULL),
  completion      TEXT CHECK (completion IS NULL OR completion::jsonb IS NOT NULL),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX action_executions_due ON action_executions (status, next_attempt_at);

CREATE TABLE app_meta (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`,
};
