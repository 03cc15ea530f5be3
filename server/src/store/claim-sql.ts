/**
 * The ids of up to @limit claimable rows of a work queue (the webhook inbox, the effects outbox), given as SQL:
 * rows whose lease expired (their worker died) first, so that a steady flow of new work cannot starve them, then
 * pending rows whose time has come, in due order; `head` (over `alias`) keeps only the first unfinished row of
 * each lane or session. Each part is a walk of `dueIndex` (status, next_attempt_at) that stops at LIMIT. Written
 * as one WHERE with `status = 'pending' OR status = 'processing'`, SQLite took a multi-index OR and sorted every
 * due row on every claim: 120 ms at 100,000 pending events (bench/README.md, "Findings").
 * Parameters: @now, @limit.
 */
export function claimableIdsSql(input: { table: string; alias: string; dueIndex: string; head: string }): string {
  const { table, alias: t, dueIndex, head } = input;
  return `
    SELECT id FROM (
      SELECT ${t}.id FROM ${table} ${t} INDEXED BY ${dueIndex}
      WHERE ${t}.status = 'processing' AND ${t}.lease_until <= @now AND ${head}
      LIMIT @limit)
    UNION ALL
    SELECT id FROM (
      SELECT ${t}.id FROM ${table} ${t} INDEXED BY ${dueIndex}
      WHERE ${t}.status = 'pending' AND ${t}.next_attempt_at <= @now AND ${head}
      ORDER BY ${t}.next_attempt_at, ${t}.id
      LIMIT @limit)
    LIMIT @limit`;
}
