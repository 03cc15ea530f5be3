import type { WorkerDeps } from './deps';
import { startCallbackCompletions, type CallbackCompletionOptions } from './actions/callback-completions';
import { startTimedResume, type TimedResumeOptions } from './ai-control/timed-resume';
import { startEffectsWorker, type EffectsWorkerOptions } from './effects/effects-worker';
import { startJournalPoller } from './connect/app-lifecycle';
import { startInboxWorker, type InboxWorkerOptions } from './inbox/inbox-worker';
import { startRetention, type RetentionOptions } from './operate/retention';

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
  startRetention(deps, options.retention);
  startJournalPoller(deps);
  relayDatabaseWakeups(deps);
}

/**
 * Work stored by another instance (PostgreSQL's NOTIFY) wakes this one's workers as the intake of this instance
 * does; without it they would find the work at their next poll, which stays the safety net.
 */
function relayDatabaseWakeups(deps: WorkerDeps): void {
  if (!deps.store.onWake) return;
  const unsubscribe = deps.store.onWake((queue) => deps.signals.wake(queue));
  deps.lifecycle.onShutdown('database-wakeups', unsubscribe);
}

/** Tuning for tests (short poll intervals, quick backoff); production runs every worker with its defaults. */
export interface BackgroundWorkOptions {
  timedResume?: TimedResumeOptions;
  callbackCompletions?: CallbackCompletionOptions;
  inbox?: InboxWorkerOptions;
  effects?: EffectsWorkerOptions;
  retention?: RetentionOptions;
}
