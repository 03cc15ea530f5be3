import type { Migration } from '../migrate';

/**
 * Operating the integration (postgres/010_operations.ts is the same for PostgreSQL):
 * - partial indexes over finished rows, so retention (operate/retention.ts) deletes the oldest in small batches
 *   without scanning the live queues; the intake writes pending rows, which none of them holds;
 * - partial indexes over dead letters by portal, for the admin page and the metrics;
 * - effect_steps and action_executions by time, for the same pruning.
 * The journal cursor (uninstalls) lives in app_meta (001). Additive only.
 */
export const operations: Migration = {
  version: 10,
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
