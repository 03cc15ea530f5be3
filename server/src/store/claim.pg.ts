import { isPgUniqueViolation, type Sql } from './pg-sql';

/** How often a claim that lost a race on a one-per-lane index is tried again at once before giving up the round. */
const CLAIM_ATTEMPTS = 5;

/**
 * A work-queue claim for several instances (the webhook inbox, the effects outbox): first, rows whose lease
 * expired (their worker died) go back to pending, keeping their due time so they come first; then `claim` leases
 * lane heads, skipping rows another instance has locked. Two instances can still pick different heads of one lane
 * from snapshots taken a moment apart (an earlier event arriving in between); the table's one-per-lane unique
 * index then refuses the second claim, and this claim is simply run again on fresh data.
 */
export async function claimLaneHeads<R>(
  sql: Sql,
  input: { table: 'webhook_inbox' | 'effects_outbox'; now: number; claim: () => Promise<R[]> },
): Promise<R[]> {
  await sql.run(`UPDATE ${input.table} SET status = 'pending', lease_until = NULL WHERE status = 'processing' AND lease_until <= $1`, [input.now]);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await input.claim();
    } catch (err) {
      if (!isPgUniqueViolation(err)) throw err;
      if (attempt >= CLAIM_ATTEMPTS) return [];
    }
  }
}
