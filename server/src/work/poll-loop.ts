import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import type { RetryPolicy } from '../store/retry-policy';

/** Tuning of a worker that claims rows in rounds; tests shorten it. Each worker documents its defaults. */
export interface ClaimingWorkerOptions {
  /** Safety-net poll: work written by this process wakes the worker at once. */
  pollIntervalMs?: number;
  /** Rows claimed per round, processed in parallel. */
  batchSize?: number;
  /** A claimed row whose worker died is taken over after this. */
  leaseMs?: number;
  /** Backoff of transient failures. */
  retry?: RetryPolicy;
}

export interface PollLoop {
  /** Runs a tick now instead of at the next interval (e.g. right after new work was recorded). */
  wake(): void;
}

/**
 * Calls `tick` every `intervalMs` until shutdown; at once again while a tick reports more work (a full batch) or
 * was woken while it ran. One tick at a time. A failing tick is logged and retried at the next interval.
 * Shutdown waits for the running tick, so the database is not closed under it.
 */
export function startPollLoop(
  deps: { lifecycle: Lifecycle; logger: Logger },
  name: string,
  intervalMs: number,
  tick: () => Promise<{ more: boolean }>,
  /** The first tick's delay; default 0 (at once). */
  firstDelayMs = 0,
): PollLoop {
  const { signal } = deps.lifecycle;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | null = null;
  let wakeRequested = false;

  // Never postpones a run already planned sooner (a wake must not be undone by the regular interval).
  const schedule = (delayMs: number) => {
    if (signal.aborted) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && at >= dueAt) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Number.POSITIVE_INFINITY;
      run();
    }, delayMs);
  };

  const run = (): void => {
    if (signal.aborted) return;
    if (running) {
      wakeRequested = true;
      return;
    }
    wakeRequested = false;
    running = tick()
      .then(
        ({ more }) => more,
        (err: unknown) => {
          deps.logger.error({ err, worker: name }, 'background work failed; trying again later');
          return false;
        },
      )
      .then((more) => {
        running = null;
        schedule(more || wakeRequested ? 0 : intervalMs);
      });
  };

  deps.lifecycle.onShutdown(name, async () => {
    clearTimeout(timer);
    await running;
  });
  schedule(firstDelayMs);
  return {
    wake: () => {
      if (running) wakeRequested = true;
      else schedule(0);
    },
  };
}
