import type { ClaimedEffect } from '../store/effects-outbox.store';
import type { SyncDeps } from '../sync/sync-deps';

/**
 * Runs a step of an effect once: its result is recorded under `effect:<id>:<step>`, and a retry of the effect
 * gets the recorded result instead of running it again (needed for creates, which HubSpot would repeat). A crash
 * between HubSpot's answer and the record can still repeat the step once: at least once, never more.
 */
export async function onceForEffect<T>(deps: Pick<SyncDeps, 'store' | 'clock'>, claimed: ClaimedEffect, step: string, run: () => Promise<T>): Promise<T> {
  const key = `effect:${claimed.id}:${step}`;
  const done = await deps.store.effectSteps.find(key);
  if (done) return done.result as T;
  const result = await run();
  await deps.store.effectSteps.record(key, result ?? null, deps.clock.now());
  return result;
}
