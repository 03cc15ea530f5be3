import type { HubSpotBudgetStore } from '../store/hubspot-budget.store';
import { DEFAULT_RATE_LIMIT, realSleep, type PortalRateLimiter, type PortalRateLimiterOptions } from './rate-limiter';

/**
 * The PortalRateLimiter of several instances: each grant is taken from the budget row in the database, so the
 * portal's 110 requests per 10 s are shared by all instances rather than allowed to each. `namespace` keeps
 * budgets apart that use the same keys (the API budget and the CRM search budget, both per portal).
 */
export function createSharedRateLimiter(
  budget: HubSpotBudgetStore,
  namespace: string,
  options: PortalRateLimiterOptions & { onError?: (err: unknown) => void } = {},
): PortalRateLimiter {
  const max = options.maxRequests ?? DEFAULT_RATE_LIMIT.maxRequests;
  const intervalMs = options.intervalMs ?? DEFAULT_RATE_LIMIT.intervalMs;
  const windowMs = intervalMs + (options.safetyMarginMs ?? DEFAULT_RATE_LIMIT.safetyMarginMs);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const keyOf = (key: string) => `${namespace}:${key}`;
  return {
    intervalMs,
    async acquire(key, maxWaitMs) {
      const start = now();
      for (;;) {
        const result = await budget.take(keyOf(key), max, windowMs);
        if (result.granted) return { granted: true, waitedMs: now() - start };
        const wait = Math.max(1, result.retryAfterMs);
        if (now() - start + wait > maxWaitMs) return { granted: false, retryAfterMs: wait };
        await sleep(wait);
      }
    },
    pauseUntil(key, untilMs) {
      // Fire and forget, like the in-memory pause: the call that saw the 429 is retried by the caller anyway.
      budget.pause(keyOf(key), untilMs - now()).catch((err: unknown) => options.onError?.(err));
    },
    trackedKeys: () => 0,
  };
}
