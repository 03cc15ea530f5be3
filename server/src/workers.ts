import type { WorkerDeps } from './deps';
import { startCallbackCompletions, type CallbackCompletionOptions } from './actions/callback-completions';
import { startTimedResume, type TimedResumeOptions } from './ai-control/timed-resume';
import { startEffectsWorker, type EffectsWorkerOptions } from './effects/effects-worker';
import { startInboxWorker, type InboxWorkerOptions } from './inbox/inbox-worker';

/**
 * Where background work starts: the webhook inbox worker, the effects outbox worker, the timed-resume timer.
 * Each starts here, watches `deps.lifecycle.signal` and registers its stop with `deps.lifecycle.onShutdown`, so
 * that shutdown waits for its current batch before the database closes.
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
