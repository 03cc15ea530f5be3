import type { Migration } from '../../migrate';

/** Retention and dead-letter indexes: see ../009_operations.ts. */
export const operations: Migration = {
  version: 9,
  name: 'operations',
  sql: /* sql */ `
CREATE INDEX webhook_inbox_finished ON webhook_inbox (processed_at) WHERE status IN ('done', 'ignored');
CREATE INDEX webhook_inbox_dead ON webhook_inbox (portal_id, id) WHERE status = 'dead';
CREATE INDEX effects_outbox_done ON effects_outbox (updated_at) WHERE status = 'done';
CREATE INDEX effects_outbox_dead ON effects_outbox (portal_id, id) WHERE status = 'dead';
CREATE INDEX effect_steps_by_time ON effect_steps (done_at);
CREATE INDEX action_executions_by_update ON action_executions (updated_at);
`,
};
