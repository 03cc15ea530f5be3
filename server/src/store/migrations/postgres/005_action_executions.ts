import type { Migration } from '../../migrate';

/** ../005_action_executions.ts for PostgreSQL. */
export const actionExecutions: Migration = {
  version: 5,
  name: 'action_executions_work',
  sql: /* sql */ `
ALTER TABLE action_executions ADD COLUMN work TEXT CHECK (work IS NULL OR work::jsonb IS NOT NULL);
ALTER TABLE action_executions ADD COLUMN lease_until BIGINT;
ALTER TABLE action_executions ADD COLUMN completed_at BIGINT;
`,
};
