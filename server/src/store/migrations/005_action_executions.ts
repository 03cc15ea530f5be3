import type { Migration } from '../migrate';

/**
 * What workflow-action executions need beyond 001's `action_executions`:
 * - `work`: the background work a BLOCKed action still owes (Send to OpenCX AI: the sessions and instruction),
 *   so that a restart picks it up again;
 * - `lease_until`: a worker (in any process) holds a due row until then; an expired lease means it died;
 * - `completed_at`: when HubSpot accepted the completion (or we gave up), for operators.
 * Status values (no CHECK, see 001): answered, awaiting_ai, completing, completed, completion_expired,
 * completion_failed — documented in action-executions.store.ts and docs/workflow-actions.md.
 */
export const actionExecutions: Migration = {
  version: 5,
  name: 'action_executions_work',
  sql: /* sql */ `
ALTER TABLE action_executions ADD COLUMN work TEXT CHECK (work IS NULL OR json_valid(work));
ALTER TABLE action_executions ADD COLUMN lease_until INTEGER;
ALTER TABLE action_executions ADD COLUMN completed_at INTEGER;
`,
};
