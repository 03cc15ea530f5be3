import type { Timestamp } from '@opencx/shared';

/** How failed background work (outbox effects, later inbox events) is retried before it is given up as dead. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// 15 s doubling to an hour: 12 attempts span about five hours, longer than HubSpot's usual incidents, while a
// permanently failing effect stops (dead, visible to an operator) the same day.
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 15_000, maxDelayMs: 3_600_000 };

/** When to try again after the `attempts`-th failure, or null when the work should be marked dead. */
export function nextAttemptAt(attempts: number, now: Timestamp, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Timestamp | null {
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return now + delay;
}
