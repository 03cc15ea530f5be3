import type { Migration } from '../migrate';

/** Sessions outlive their HubSpot thread (history is never lost), so whether the thread still exists is state. */
export const sessionStatus: Migration = {
  version: 2,
  name: 'session_status',
  sql: /* sql */ `
ALTER TABLE chat_sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'deleted'));
CREATE INDEX chat_sessions_by_contact ON chat_sessions (portal_id, contact_id, status);
`,
};
