import { setMaxListeners } from 'node:events';
import type { Logger } from './logger';
import { withTimeout } from './timeout';

/**
 * The registry background workers join so that shutdown can stop them before the database closes.
 * A worker either watches `signal` (its loop ends when it aborts) or registers a `stop` that resolves once
 * its current batch is done — or both.
 */
export interface Lifecycle {
  /** Aborted when shutdown begins; pass it to loops, timers and fetches. */
  readonly signal: AbortSignal;
  /** Registers a stop step; steps run in reverse order of registration (last started, first stopped). */
  onShutdown(name: string, stop: () => void | Promise<void>): void;
  /** Runs every stop step once; later calls return the same promise. Never rejects: failures are logged. */
  shutdown(): Promise<void>;
}

const DEFAULT_STEP_TIMEOUT_MS = 10_000;

export function createLifecycle(logger: Logger, stepTimeoutMs = DEFAULT_STEP_TIMEOUT_MS): Lifecycle {
  const controller = new AbortController();
  // Every HubSpot call waiting for its portal's budget listens for the stop (hubspot/shutdown.ts): with a shared
  // budget, hundreds may wait at once, which is expected, not the listener leak Node warns about past 10.
  setMaxListeners(10_000, controller.signal);
  const steps: { name: string; stop: () => void | Promise<void> }[] = [];
  let done: Promise<void> | null = null;

  const runSteps = async (): Promise<void> => {
    controller.abort();
    for (const step of [...steps].reverse()) {
      try {
        await withTimeout(Promise.resolve().then(step.stop), stepTimeoutMs, () => {
          throw new Error(`"${step.name}" took longer than ${stepTimeoutMs} ms to stop`);
        });
      } catch (err) {
        // One stuck worker must not keep the others (and the database) from closing.
        logger.error({ err, worker: step.name }, 'worker did not stop cleanly');
      }
    }
  };

  return {
    signal: controller.signal,
    onShutdown(name, stop) {
      if (done) throw new Error(`cannot register "${name}": shutdown has already begun`);
      steps.push({ name, stop });
    },
    shutdown() {
      done ??= runSteps();
      return done;
    },
  };
}

