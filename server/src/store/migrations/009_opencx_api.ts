import type { Migration } from '../migrate';

/**
 * The OpenCX API adapter (docs/opencx-api.md):
 * - `opencx_api_keys`: each organization's OpenCX API key, encrypted with the TokenCipher like HubSpot tokens
 *   (`api_key_enc`), the last four characters to show the admin which key is set, and the last error OpenCX
 *   answered for it (401/403/400), shown on the settings page until a call succeeds;
 * - `opencx_sessions`: which OpenCX session carries a conversation, and up to which customer message (by time)
 *   it has been sent, so a retried reply never sends a message twice; when OpenCX handed it to a person or an
 *   agent took it over (`handed_off_at`), and when it was closed (`closed_at`): the AI, asked again after either,
 *   starts a new OpenCX session. Kept when the key is removed: a key set again for the same OpenCX organization
 *   continues the same sessions.
 */
export const opencxApi: Migration = {
  version: 9,
  name: 'opencx_api',
  sql: /* sql */ `
CREATE TABLE opencx_api_keys (
  organization_id    TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE RESTRICT,
  api_key_enc        TEXT NOT NULL,
  key_ending         TEXT NOT NULL,
  updated_at         INTEGER NOT NULL,
  last_error_code    TEXT,
  last_error_message TEXT,
  last_error_at      INTEGER,
  CHECK ((last_error_code IS NULL) = (last_error_at IS NULL))
) STRICT;

CREATE TABLE opencx_sessions (
  session_id        TEXT PRIMARY KEY REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  organization_id   TEXT NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
  opencx_session_id TEXT NOT NULL,
  forwarded_until   INTEGER NOT NULL DEFAULT 0,
  handed_off_at     INTEGER,
  closed_at         INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;
`,
};
