import type { Migration } from '../migrate';

/**
 * What processing webhooks and performing effects adds to 001:
 * - `webhook_inbox.event_kind`: the normalized kind (`ticketOwnerChanged`…), so that a late ownership event can be
 *   recognised as superseded by a later one already applied in its lane;
 * - `webhook_inbox.note`: why an event was ignored or what it did, for operators (`last_error` stays for errors);
 * - `webhook_inbox.event_id`: HubSpot's eventId, the tie-break between events of one lane that occurred in the
 *   same millisecond (as `compareByOccurrence` does);
 * - a partial index over unfinished rows, so that "is there an earlier unfinished event in this lane?" (asked for
 *   every claim) never scans a lane's finished history. It replaces 001's `webhook_inbox_ordering`, which indexed
 *   every row of every lane: each index costs the intake about 7 µs per event, and the intake is the hot path.
 *   The one query that looks at finished rows (a superseded ownership change) gets a partial index holding only
 *   applied ownership changes, which the intake never writes;
 * - `ai_replies`: one row per AI reply request (a derived key per session, customer message and instruction), so
 *   that a reply is drafted once, posted once even across a crash between posting and recording, and a second
 *   requester (the effects worker and a workflow action) gets the first answer instead of posting again;
 * - `effect_steps`: the steps of an effect already performed (e.g. the handoff note on one of two tickets), so a
 *   retry does not repeat them.
 */
export const webhookProcessing: Migration = {
  version: 4,
  name: 'webhook_processing',
  sql: /* sql */ `
ALTER TABLE webhook_inbox ADD COLUMN event_kind TEXT;
ALTER TABLE webhook_inbox ADD COLUMN note TEXT;
ALTER TABLE webhook_inbox ADD COLUMN event_id INTEGER;
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
  send_started_at    INTEGER,
  lease_until        INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  CHECK (status NOT IN ('drafted', 'sending', 'answered') OR text IS NOT NULL)
) STRICT;
CREATE INDEX ai_replies_by_session ON ai_replies (session_id, created_at);

CREATE TABLE effect_steps (
  step_key TEXT PRIMARY KEY,
  result   TEXT CHECK (result IS NULL OR json_valid(result)),
  done_at  INTEGER NOT NULL
) STRICT;
`,
};
