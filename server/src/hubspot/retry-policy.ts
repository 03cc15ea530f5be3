// When a failed HubSpot call is tried again, and after how long. Pure: randomness comes in as an argument.
import type { HubSpotApiError } from './api-error';

export interface RetryPolicy {
  /** Total attempts, the first included (3 = up to 2 retries). Interactive default: 3. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest a single call may wait for a rate-limit slot or pause before failing with `rate_limited`. */
  maxRateLimitWaitMs: number;
}

export const INTERACTIVE_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRateLimitWaitMs: 15_000,
};

export interface RetryDecisionInput {
  error: HubSpotApiError;
  attempt: number; // 1-based, the attempt that just failed
  policy: RetryPolicy;
  /** Repeating the call cannot duplicate an effect (reads, PATCH with the same body, create-or-409). */
  idempotent: boolean;
  /** The request certainly never reached HubSpot (connection refused, DNS). */
  neverSent: boolean;
}

export function shouldRetry({ error, attempt, policy, idempotent, neverSent }: RetryDecisionInput): boolean {
  if (attempt >= policy.attempts) return false;
  if (error.kind === 'rate_limited') {
    // A 429 was refused before processing, so even creates may repeat; a DAILY quota will not recover in time.
    return error.category !== 'DAILY' && (error.retryAfterMs ?? 0) <= policy.maxRateLimitWaitMs;
  }
  if (error.kind !== 'transient') return false;
  // After a timeout or a 5xx HubSpot may have done the work (the SDK cannot abort a request, docs/hubspot-contract.md §7): repeating a
  // note or a customer message could duplicate it, so only idempotent calls, or calls never sent, are repeated.
  return idempotent || neverSent;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of many callers spread out. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * After a 429 the wait itself is done by the limiter's pause; this short random spread keeps all callers queued
 * on that portal (and other server instances) from resuming in the same millisecond.
 */
export function rateLimitJitterMs(policy: RetryPolicy, random: () => number): number {
  return Math.round(random() * policy.baseDelayMs);
}
