import { applyAiCommand } from './apply-command';
import type { WorkerDeps } from '../deps';
import { startPollLoop, type PollLoop } from '../work/poll-loop';

export interface TimedResumeOptions {
  /** How often to look for pauses whose time is up. Default 5 s: a timed pause ends at most this late. */
  pollIntervalMs?: number;
  batchSize?: number;
}

/**
 * Ends timed pauses ("Pause OpenCX AI" with a duration): every poll, each paused session whose `until` has
 * passed gets `timedResumeDue`. The due time lives in ai_control.paused_until, so a pause that ended while the
 * server was down is resumed by the first poll after the restart. Two processes doing the same is harmless:
 * the second decision finds the session active (`not_due`) and writes nothing.
 */
export function startTimedResume(deps: WorkerDeps, options: TimedResumeOptions = {}): PollLoop {
  const batchSize = options.batchSize ?? 100;
  return startPollLoop(deps, 'timed-resume', options.pollIntervalMs ?? 5_000, async () => {
    const now = deps.clock.now();
    const due = await deps.store.aiControl.listDueTimedResumes(now, batchSize);
    let resumed = 0;
    for (const { sessionId } of due) {
      if (deps.lifecycle.signal.aborted) break;
      try {
        await applyAiCommand(deps, sessionId, { type: 'timedResumeDue' }, now);
        resumed += 1;
      } catch (err) {
        deps.logger.warn({ err, sessionId }, 'could not end a timed pause; will try again');
      }
    }
    // Only a full batch that made progress suggests more are waiting; a failing one must not spin.
    return { more: due.length === batchSize && resumed > 0 };
  });
}
