import type { AppDeps } from './deps';
import type { Lifecycle } from './lifecycle';
import { startCallbackCompletions, type CallbackCompletionOptions } from './work/callback-completions';
import { startTimedResume, type TimedResumeOptions } from './work/timed-resume';
import { startEffectsWorker, type EffectsWorkerOptions } from './work/effects-worker';
import { startInboxWorker, type InboxWorkerOptions } from './work/inbox-worker';

export interface WorkerDeps extends AppDeps {
  lifecycle: Lifecycle;
}

/**
 * Where background work starts: the webhook inbox worker, the effects outbox worker, the timed-resume timer.
 * Each starts here, watches `deps.lifecycle.signal` and registers its stop with `deps.lifecycle.onShutdown`, so
 * that shutdown waits for its current batch before the database closes. None exist yet.
 */
export function startBackgroundWork(deps: WorkerDeps, options: BackgroundWorkOptions = {}): void {
  startTimedResume(deps, options.timedResume);
  startCallbackCompletions(deps, options.callbackCompletions);
  startInboxWorker(deps, options.inbox);
  startEffectsWorker(deps, options.effects);
}

/** Tuning for tests (short poll intervals, quick backoff); production runs every worker with its defaults. */
export interface BackgroundWorkOptions {
  timedResume?: TimedResumeOptions;
  callbackCompletions?: CallbackCompletionOptions;
  inbox?: InboxWorkerOptions;
  effects?: EffectsWorkerOptions;
}
