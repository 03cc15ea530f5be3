import type { Migration } from '../../migrate';

/** ../004_webhook_processing.ts for PostgreSQL (the reasons are given there). */
export const webhookProcessing: Migration = {
  version: 4,
  name: 'webhook_processing',
  sql: /* sql */ `
ALTER TABLE webhook_inbox ADD COLUMN event_kind TEXT;
ALTER TABLE webhook_inbox ADD COLUMN note TEXT;
ALTER TABLE webhook_inbox ADD COLUMN event_id BIGINT;
DROP INDEX webhook_inbox_ordering;
CREATE INDEX webhook_inbox_open_lanes ON webhook_inbox (ordering_key, occurred_at, event_id, id)
  WHERE status IN ('pending', 'processing');
CREATE INDEX webhook_inbox_applied_ownership ON webhook_inbox (ordering_key, event_kind, occurred_at, event_id)
  WHERE status = 'done' AND event_kind IN ('ticketOwnerChanged', 'threadAssigneeChanged');

CREATE TABLE ai_replies (
  request_key        TEXT PRIMARY KEY,
  session_id         TEXT NOT NULL REFERENCES chat_sessions (id) ON DELETE RESTRICT,
  status             TEXT NOT NULL CHECK (status IN ('pending', 'drafted', 'sending', 'answered', 'handoff')),
  text               TEXT,
  reason             TEXT,
  hubspot_message_id TEXT,
  send_started_at    BIGINT,
  lease_until        BIGINT,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  CHECK (status NOT IN ('drafted', 'sending', 'answered') OR text IS NOT NULL)
);
CREATE INDEX ai_replies_by_session ON ai_replies (session_id, created_at);

CREATE TABLE effect_steps (
  step_key TEXT PRIMARY KEY,
  result   TEXT CHECK (result IS NULL OR result::jsonb IS NOT NULL),
  done_at  BIGINT NOT NULL
);
`,
};
