import type { OAuthCallbackLimits } from '../config';
import { createPortalRateLimiter } from '../hubspot/rate-limiter';

const MINUTE_MS = 60_000;

export type ThrottleAnswer = { admitted: true } | { admitted: false; retryAfterMs: number };

/**
 * Limits the token exchanges that OAuth callbacks without a state start: anyone can open such a callback, and each
 * one spends a call at HubSpot on the app's credentials. Per client address, so one client cannot use up the
 * budget, and in total, so many clients cannot either. Rolling one-minute windows; built once per server.
 */
export interface CallbackThrottle {
  admit(clientAddress: string): Promise<ThrottleAnswer>;
}

export function createCallbackThrottle(limits: OAuthCallbackLimits, now: () => number): CallbackThrottle {
  const window = { intervalMs: MINUTE_MS, safetyMarginMs: 0, now };
  const perClient = createPortalRateLimiter({ ...window, maxRequests: limits.perMinutePerClient });
  const overall = createPortalRateLimiter({ ...window, maxRequests: limits.perMinute });
  return {
    async admit(clientAddress) {
      // The client's own window first: a refused flood from one address then spends none of the shared budget.
      const own = await perClient.acquire(clientAddress, 0);
      if (!own.granted) return { admitted: false, retryAfterMs: own.retryAfterMs };
      const shared = await overall.acquire('all', 0);
      return shared.granted ? { admitted: true } : { admitted: false, retryAfterMs: shared.retryAfterMs };
    },
  };
}
