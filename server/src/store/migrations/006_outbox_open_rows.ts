import type { Migration } from '../migrate';

/**
 * The effects outbox keeps its done rows as history, so "is there an earlier unfinished effect of this session?"
 * must not walk them: with 001's (session_id, id) index, a session with 200k finished effects made each claim
 * take seconds. This partial index holds only the unfinished rows, as 004's webhook_inbox_open_lanes does.
 */
export const outboxOpenRows: Migration = {
  version: 6,
  name: 'outbox_open_rows',
  sql: /* sql */ `
CREATE INDEX effects_outbox_open ON effects_outbox (session_id, id) WHERE status IN ('pending', 'processing');
`,
};
