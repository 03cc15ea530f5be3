import type { Migration } from '../../migrate';

/** ../002_session_status.ts for PostgreSQL. */
export const sessionStatus: Migration = {
  version: 2,
  name: 'session_status',
  sql: /* sql */ `
ALTER TABLE chat_sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'deleted'));
CREATE INDEX chat_sessions_by_contact ON chat_sessions (portal_id, contact_id, status);
`,
};
