import type { Migration } from '../../migrate';

/**
 * What several instances on one database need (SQLite's 007 records the version only, see ../007_multi_instance.ts):
 * - one row in processing per lane and per session, enforced by the database: a claim by a second instance that
 *   raced past the lane-head check fails on these indexes instead of running a lane's events side by side;
 * - partial indexes over what a claim walks: pending rows by due time, processing rows by lease end;
 * - hubspot_budgets: the per-portal HubSpot budget, one row per budget key holding the grant times of the rolling
 *   window, shared by every instance (a limit per instance would multiply by their count);
 * - wake-ups: a statement trigger NOTIFYs the other instances when events or effects are stored, so they do not
 *   wait for their next poll (which stays as the safety net).
 * Additive only: an instance of the previous version keeps running beside this one during a rolling deploy.
 */
export const multiInstance: Migration = {
  version: 7,
  name: 'multi_instance',
  sql: /* sql */ `
CREATE UNIQUE INDEX webhook_inbox_one_per_lane ON webhook_inbox (ordering_key) WHERE status = 'processing';
CREATE UNIQUE INDEX effects_outbox_one_per_session ON effects_outbox (session_id) WHERE status = 'processing';
CREATE INDEX webhook_inbox_pending_due ON webhook_inbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_inbox_leases ON webhook_inbox (lease_until) WHERE status = 'processing';
CREATE INDEX effects_outbox_pending_due ON effects_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX effects_outbox_leases ON effects_outbox (lease_until) WHERE status = 'processing';

CREATE TABLE hubspot_budgets (
  budget_key   TEXT PRIMARY KEY,
  grants       BIGINT[] NOT NULL,
  paused_until BIGINT NOT NULL DEFAULT 0,
  granted      BOOLEAN NOT NULL,
  updated_at   BIGINT NOT NULL
);

CREATE FUNCTION opencx_notify_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted) THEN PERFORM pg_notify('opencx_inbox', ''); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_inbox_wake AFTER INSERT ON webhook_inbox
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION opencx_notify_inbox();

CREATE FUNCTION opencx_notify_effects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted) THEN PERFORM pg_notify('opencx_effects', ''); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER effects_outbox_wake AFTER INSERT ON effects_outbox
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION opencx_notify_effects();
`,
};
