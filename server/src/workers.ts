import type { AppDeps } from './deps';
import type { Lifecycle } from './lifecycle';
import { startCallbackCompletions, type CallbackCompletionOptions } from './work/callback-completions';
import { startTimedResume, type TimedResumeOptions } from './work/timed-resume';
import { startEffectsWorker, type EffectsWorkerOptions } from './work/effects-worker';
import { startInboxWorker, type InboxWorkerOptions } from './work/inbox-worker';
import { workSignalsFor } from './work/signals';

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
  relayDatabaseWakeups(deps);
}

/**
 * Work stored by another instance (PostgreSQL's NOTIFY) wakes this one's workers as the intake of this instance
 * does; without it they would find the work at their next poll, which stays the safety net.
 */
function relayDatabaseWakeups(deps: WorkerDeps): void {
  if (!deps.store.onWake) return;
  const signals = workSignalsFor(deps.store);
  const unsubscribe = deps.store.onWake((queue) => (queue === 'inbox' ? signals.wakeInbox() : signals.wakeEffects()));
  deps.lifecycle.onShutdown('database-wakeups', unsubscribe);
}

/** Tuning for tests (short poll intervals, quick backoff); production runs every worker with its defaults. */
export interface BackgroundWorkOptions {
  timedResume?: TimedResumeOptions;
  callbackCompletions?: CallbackCompletionOptions;
  inbox?: InboxWorkerOptions;
  effects?: EffectsWorkerOptions;
}
