import type { AppDeps } from './deps';
import type { Lifecycle } from './lifecycle';

export interface WorkerDeps extends AppDeps {
  lifecycle: Lifecycle;
}

/**
 * Where background work starts: the webhook inbox worker, the effects outbox worker, the timed-resume timer.
 * Each starts here, watches `deps.lifecycle.signal` and registers its stop with `deps.lifecycle.onShutdown`, so
 * that shutdown waits for its current batch before the database closes. None exist yet.
 */
export function startBackgroundWork(_deps: WorkerDeps): void {}
