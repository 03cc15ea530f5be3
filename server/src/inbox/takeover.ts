import { setTimeout as sleep } from 'node:timers/promises';
import { withTimeout } from '../timeout';
import type { NewInboxEvent } from '../store/webhook-inbox.store';
import { processInboxEvent, type ProcessResult } from './process-event';
import type { SyncDeps } from '../sync/sync-deps';

export const TAKEOVER_BUDGET_MS = 2_000;
export const INBOX_LEASE_MS = 60_000;
const WAIT_STEP_MS = 5;

const FINISHED: readonly string[] = ['done', 'ignored', 'dead'];

/**
 * Applies an agent's takeover inside the webhook request, so that the AI is paused by the time HubSpot gets
 * its 200: the lanes of the takeover events are drained now, in order (an earlier event of the lane, e.g. the
 * ticket's creation, goes first), through the same claims as the worker — so a worker in this or another
 * process never processes them twice. Bounded by `budgetMs` (HubSpot gives up after 5 s): past it, or when an
 * event fails and is scheduled for retry, the request answers anyway and the worker finishes the job; the
 * events are already stored.
 */
export async function applyTakeoversNow(
  deps: SyncDeps,
  takeovers: readonly NewInboxEvent[],
  budgetMs = TAKEOVER_BUDGET_MS,
): Promise<void> {
  if (takeovers.length === 0) return;
  const deadline = performance.now() + budgetMs;
  // A HubSpot call that would wait longer than the budget for the portal's rate limit (a bulk reassignment has
  // spent it) is refused at once instead: the request answers now, and the worker retries the event when the
  // budget allows, rather than this request waiting 2 s and leaving a call queued behind it.
  const inline = { ...deps, hubspot: deps.hubspot.withRetryPolicy({ maxRateLimitWaitMs: budgetMs }) };
  const lanes = [...new Set(takeovers.map((t) => t.orderingKey))];
  const waiting = new Set(takeovers.map((t) => t.dedupKey));
  while (waiting.size > 0 && performance.now() < deadline) {
    const claimed = await deps.store.inbox.claimDue({ now: deps.clock.now(), limit: lanes.length, leaseMs: INBOX_LEASE_MS, orderingKeys: lanes });
    // Processing goes on past the budget if HubSpot is slow (the claim protects it); the request does not wait.
    const round = Promise.all(claimed.map(async (c) => [c, await processInboxEvent(inline, c)] as const));
    const results = await withinBudget(round, deadline);
    if (results === null) return;
    for (const [event, result] of results) {
      if (result === 'done' && waiting.has(event.dedupKey)) deps.metrics.takeoverSeconds.observe(Math.max(0, deps.clock.now() - event.occurredAt) / 1000);
      if (settles(result)) waiting.delete(event.dedupKey);
      // An event scheduled for a retry holds its lane until then: the takeovers behind it are the worker's now.
      if (result === 'retrying') for (const t of takeovers) if (t.orderingKey === event.orderingKey) waiting.delete(t.dedupKey);
    }
    if (claimed.length > 0) continue;
    // Nothing claimable: another worker holds the lane, or the event is done already (a redelivery).
    const statuses = await deps.store.inbox.statusesOf([...waiting]);
    for (const key of waiting) if (FINISHED.includes(statuses.get(key) ?? 'done')) waiting.delete(key);
    if (waiting.size > 0) await sleep(WAIT_STEP_MS);
  }
}

const withinBudget = <T>(work: Promise<T>, deadline: number): Promise<T | null> => withTimeout(work, deadline - performance.now(), () => null);

/** Finished, or scheduled for a retry later: waiting for it would only hold HubSpot's request. */
const settles = (result: ProcessResult): boolean => result !== 'lost';
