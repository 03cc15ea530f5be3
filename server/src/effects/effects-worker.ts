import { applyAiCommand } from '../ai-control/apply-command';
import type { ClaimedEffect } from '../store/effects-outbox.store';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from '../store/retry-policy';
import { AI_ACTOR } from '../sync/actors';
import { classifyFailure } from '../failure';
import type { WorkerDeps } from '../deps';
import { performEffect } from './perform-effect';
import { startPollLoop, type ClaimingWorkerOptions } from '../work/poll-loop';

/**
 * Defaults: a 250 ms safety-net poll; 8 effects per round, run in parallel (one per session at a time); a 3 min
 * lease, longer than the slowest effect (an AI reply: the AI's timeout and retries, then a post); backoff
 * DEFAULT_RETRY_POLICY (from 15 s, doubling to an hour, 12 attempts).
 */
export type EffectsWorkerOptions = ClaimingWorkerOptions;

/**
 * Performs the effects outbox: claims due effects (one per session, in decided order), performs them against
 * HubSpot, marks them done; transient failures retry with the outbox's backoff, permanent ones go dead with
 * their error. A reply that can never be posted hands the conversation to a person instead of leaving the
 * customer unanswered.
 */
export function startEffectsWorker(deps: WorkerDeps, options: EffectsWorkerOptions = {}): void {
  const batchSize = options.batchSize ?? 8;
  const leaseMs = options.leaseMs ?? 180_000;
  const loop = startPollLoop(deps, 'effects-outbox', options.pollIntervalMs ?? 250, async () => {
    const claimed = await deps.store.outbox.claimDue({ now: deps.clock.now(), limit: batchSize, leaseMs });
    await Promise.all(claimed.map((effect) => runEffect(deps, effect, options.retry)));
    return { more: claimed.length > 0 };
  });
  const unsubscribe = deps.signals.on('effects', () => loop.wake());
  deps.lifecycle.onShutdown('effects-outbox-wakeups', unsubscribe);
}

export async function runEffect(
  deps: WorkerDeps | Omit<WorkerDeps, 'lifecycle'>,
  claimed: ClaimedEffect,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  const log = deps.logger.child({ effectId: claimed.id, sessionId: claimed.sessionId, effect: claimed.effect.type });
  const { id, attempts } = claimed;
  try {
    const note = await performEffect(deps, claimed);
    if (await deps.store.outbox.markDone(id, attempts, deps.clock.now())) log.debug({ note }, 'effect performed');
    else log.warn({ attempts }, 'effect performed after its lease expired; another worker holds it now');
  } catch (err) {
    const failure = classifyFailure(err);
    try {
      const now = deps.clock.now();
      const retryAt = failure.transient ? nextAttemptAt(attempts, now, policy) : null;
      const state = await deps.store.outbox.markFailed(id, attempts, failure.message, retryAt, now);
      if (state === 'lost') {
        log.warn({ err, attempts }, 'effect failed after its lease expired; another worker holds it now');
        return;
      }
      if (state === 'retrying') {
        if (failure.deferred) log.info({ reason: failure.message, attempts, retryAt }, 'effect deferred');
        else log.warn({ err, attempts }, 'effect failed; will retry');
        return;
      }
      log.error({ err, attempts }, 'effect dead-lettered');
      if (claimed.effect.type === 'askAiToReply') await handOffUnanswered(deps, claimed, failure.message);
    } catch (recordErr) {
      log.error({ err: recordErr }, 'could not record an effect failure; its lease will expire and it runs again');
    }
  }
}

/**
 * The customer would otherwise wait for a reply that never comes: a person is asked to answer, and the admin sees
 * on the settings page that (and why) the AI could not reply.
 */
async function handOffUnanswered(deps: Omit<WorkerDeps, 'lifecycle'>, claimed: ClaimedEffect, error: string): Promise<void> {
  const reason = `OpenCX could not post the AI's reply (${error.slice(0, 200)}); a person should answer.`;
  const now = deps.clock.now();
  await applyAiCommand(deps, claimed.sessionId, { type: 'requestHandoff', by: AI_ACTOR, reason, requestId: `effect:${claimed.id}` }, now);
  const session = await deps.store.sessions.get(claimed.sessionId);
  await deps.store.problems.record({
    organizationId: session?.organizationId ?? null, portalId: claimed.portalId, kind: 'reply_failed', threadId: session?.threadId ?? null,
    message: `The AI's reply could not be posted: ${error.slice(0, 300)}`, at: now,
  });
  deps.signals.wake('effects');
}
