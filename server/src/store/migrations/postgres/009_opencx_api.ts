import type { Migration } from '../../migrate';

/** ../009_opencx_api.ts for PostgreSQL. */
export const opencxApi: Migration = {
  version: 9,
  name: 'opencx_api',
  sql: /* sql */ `
CREATE TABLE opencx_api_keys (
  organization_id    TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  api_key_enc        TEXT NOT NULL,
  key_ending         TEXT NOT NULL,
  updated_at         BIGINT NOT NULL,
  last_error_code    TEXT,
  last_error_message TEXT,
  last_error_at      BIGINT,
  CHECK ((last_error_code IS NULL) = (last_error_at IS NULL))
);

CREATE TABLE opencx_sessions (
  session_id        TEXT PRIMARY KEY REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  organization_id   TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  opencx_session_id TEXT NOT NULL,
  forwarded_until   BIGINT NOT NULL DEFAULT 0,
  handed_off_at     BIGINT,
  closed_at         BIGINT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL
);
`,
};
