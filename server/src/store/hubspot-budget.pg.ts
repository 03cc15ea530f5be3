import type { HubSpotBudgetStore } from './hubspot-budget.store';
import type { Sql } from './pg-sql';

const DB_NOW = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
// The grants of the rolling window still alive at the database's now ($3: the window).
const LIVE = 'ARRAY(SELECT g FROM unnest(b.grants) g WHERE g > excluded.updated_at - $3 ORDER BY g)';
const CAN_GRANT = `b.paused_until <= excluded.updated_at AND cardinality(${LIVE}) < $2`;

// One statement: the row lock of ON CONFLICT DO UPDATE makes check-and-record atomic across instances, and
// `granted` reports whether this statement took a slot.
const TAKE = `
  INSERT INTO hubspot_budgets AS b (budget_key, grants, paused_until, granted, updated_at)
  SELECT $1, ARRAY[t.now], 0, true, t.now FROM (SELECT ${DB_NOW} AS now) t
  ON CONFLICT (budget_key) DO UPDATE SET
    grants = CASE WHEN ${CAN_GRANT} THEN ${LIVE} || excluded.updated_at ELSE ${LIVE} END,
    granted = ${CAN_GRANT},
    updated_at = excluded.updated_at
  RETURNING granted, grants, paused_until, updated_at AS now`;

const PAUSE = `
  INSERT INTO hubspot_budgets AS b (budget_key, grants, paused_until, granted, updated_at)
  SELECT $1, '{}', t.now + $2, false, t.now FROM (SELECT ${DB_NOW} AS now) t
  ON CONFLICT (budget_key) DO UPDATE SET paused_until = greatest(b.paused_until, excluded.paused_until)`;

export function createHubSpotBudgetPg(sql: Sql): HubSpotBudgetStore {
  return {
    async take(key, max, windowMs) {
      const row = await sql.one<{ granted: boolean; grants: string[]; paused_until: number; now: number }>(TAKE, [key, max, windowMs]);
      if (row!.granted) return { granted: true };
      const grants = row!.grants.map(Number);
      const slotFreesAt = grants.length >= max ? grants[grants.length - max]! + windowMs : 0;
      return { granted: false, retryAfterMs: Math.max(row!.paused_until, slotFreesAt) - row!.now };
    },
    async pause(key, forMs) {
      await sql.run(PAUSE, [key, Math.max(0, Math.round(forMs))]);
    },
  };
}
