import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Timestamp } from '@opencx/shared';
import type { WorkerDeps } from '../deps';
import type { PruneCounts, PruneCutoffs } from '../store/operations.store';
import { startPollLoop } from '../work/poll-loop';

const DAY_MS = 24 * 3_600_000;
/**
 * Workflow-action answers are kept at least this long whatever RETENTION_DAYS says: HubSpot retries an action call
 * for up to 3 days and a blocked callback may wait a week (docs/hubspot-contract.md §3.3, §3.4), and a retry must
 * get the first answer back.
 */
export const ACTION_ANSWER_MIN_RETENTION_MS = 7 * DAY_MS;

export interface RetentionOptions {
  /** How often finished rows are looked for; default 10 minutes. */
  intervalMs?: number;
  /** Rows deleted per table and statement: small, so the writer lock is held for milliseconds at a time. */
  batchSize?: number;
}

export function pruneCutoffs(retentionDays: number, now: Timestamp): PruneCutoffs {
  const retentionMs = retentionDays * DAY_MS;
  return { inbox: now - retentionMs, outbox: now - retentionMs, actions: now - Math.max(retentionMs, ACTION_ANSWER_MIN_RETENTION_MS) };
}

/**
 * Deletes every finished row older than the retention period, one small batch after another, giving the event loop
 * back between batches (webhook requests go first). Returns the total per table.
 */
export async function pruneFinishedRows(
  deps: Pick<WorkerDeps, 'store' | 'clock' | 'config'>,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<PruneCounts> {
  const limit = options.batchSize ?? 500;
  const cutoffs = pruneCutoffs(deps.config.retentionDays, deps.clock.now());
  const total: PruneCounts = { inbox: 0, outbox: 0, steps: 0, actions: 0 };
  for (;;) {
    const counts = await deps.store.operations.prune(cutoffs, limit);
    for (const key of Object.keys(total) as (keyof PruneCounts)[]) total[key] += counts[key];
    if (Object.values(counts).every((n) => n < limit) || options.signal?.aborted) return total;
    await yieldToEventLoop();
  }
}

/** The retention worker: started with the others (workers.ts), stopped at shutdown between two batches. */
export function startRetention(deps: WorkerDeps, options: RetentionOptions = {}): void {
  startPollLoop(deps, 'retention', options.intervalMs ?? 10 * 60_000, async () => {
    const counts = await pruneFinishedRows(deps, { ...(options.batchSize ? { batchSize: options.batchSize } : {}), signal: deps.lifecycle.signal });
    if (Object.values(counts).some((n) => n > 0)) deps.logger.info({ deleted: counts, retentionDays: deps.config.retentionDays }, 'finished rows pruned');
    return { more: false };
  });
}
