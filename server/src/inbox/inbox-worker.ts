import { processInboxEvent } from './process-event';
import { INBOX_LEASE_MS } from './takeover';
import type { WorkerDeps } from '../deps';
import { startPollLoop, type ClaimingWorkerOptions } from '../work/poll-loop';

const WAKE_COALESCE_MS = 5;

/**
 * Defaults: a 100 ms safety-net poll (events stored by another process, retries coming due; the intake wakes it
 * at once); 16 lanes per round, processed in parallel (one event per lane at a time); a 60 s lease; backoff
 * INBOX_RETRY_POLICY.
 */
export type InboxWorkerOptions = ClaimingWorkerOptions;

/**
 * Drains the webhook inbox: claims the head event of each lane (a conversation, ticket or contact) in
 * `occurredAt` order, processes it, and goes on while there is work. Rows are claimed, never deleted, so a
 * process that dies mid-batch leaves them `processing` until the lease expires, and a worker (this process after
 * a restart, or another process) takes them over: no acknowledged event is lost.
 */
export function startInboxWorker(deps: WorkerDeps, options: InboxWorkerOptions = {}): void {
  const batchSize = options.batchSize ?? 16;
  const leaseMs = options.leaseMs ?? INBOX_LEASE_MS;
  let unconnectedScannedUpTo = 0;
  const loop = startPollLoop(deps, 'webhook-inbox', options.pollIntervalMs ?? 100, async () => {
    unconnectedScannedUpTo = (await deps.store.inbox.ignoreUnconnectedPortals(deps.clock.now(), unconnectedScannedUpTo)).scannedUpTo;
    const claimed = await deps.store.inbox.claimDue({ now: deps.clock.now(), limit: batchSize, leaseMs });
    await Promise.all(claimed.map((event) => processInboxEvent(deps, event, options.retry)));
    // Processing a lane's head makes its next event claimable: keep going until a round finds nothing.
    return { more: claimed.length > 0 };
  });
  // A flood of deliveries wakes the worker once per few milliseconds, not once per request: its rounds then
  // take many events each, and the intake keeps the CPU. Takeovers do not wait for this (the intake applies them).
  let wakeScheduled: NodeJS.Timeout | null = null;
  const unsubscribe = deps.signals.on('inbox', () => {
    wakeScheduled ??= setTimeout(() => {
      wakeScheduled = null;
      loop.wake();
    }, WAKE_COALESCE_MS);
  });
  deps.lifecycle.onShutdown('webhook-inbox-wakeups', () => {
    unsubscribe();
    if (wakeScheduled) clearTimeout(wakeScheduled);
  });
}
