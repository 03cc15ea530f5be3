import type { Migration } from '../migrate';

/**
 * Version 7 is PostgreSQL's multi-instance schema (postgres/007_multi_instance.ts); both engines keep one list of
 * versions. SQLite needs none of it: one writer at a time already keeps a lane's claims apart, and the HubSpot
 * budget of the process that owns the file stays in memory.
 */
export const multiInstance: Migration = {
  version: 7,
  name: 'multi_instance',
  sql: /* sql */ `
-- Nothing to change in SQLite (see the comment of this file).
SELECT 1;
`,
};
