import type { Migration } from '../../migrate';

/** ../006_outbox_open_rows.ts for PostgreSQL. */
export const outboxOpenRows: Migration = {
  version: 6,
  name: 'outbox_open_rows',
  sql: /* sql */ `
CREATE INDEX effects_outbox_open ON effects_outbox (session_id, id) WHERE status IN ('pending', 'processing');
`,
};
