// Per-portal rolling-window limiter. HubSpot counts 110 requests per 10 s per (app, installed portal)
// (docs/hubspot-contract.md §6) in a ROLLING window, so we keep a log of grant times rather than a refilling bucket:
// a token bucket of the same rate would allow up to 2× the limit across one window edge.
// UNVERIFIED: the 110 / 10 s figure (raised from 100; "from memory of that page", docs/hubspot-contract.md §6)

export interface PortalRateLimiterOptions {
  maxRequests?: number;
  intervalMs?: number;
  /**
   * Each grant is held this much longer than the interval. Our clock starts at grant time, HubSpot's at arrival;
   * uneven latency would otherwise let the (max+1)th request land inside HubSpot's window.
   */
  safetyMarginMs?: number;
  /** A portal untouched this long is forgotten (its window is then empty, so forgetting loses nothing). */
  idleEvictMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type AcquireResult = { granted: true; waitedMs: number } | { granted: false; retryAfterMs: number };

export interface PortalRateLimiter {
  readonly intervalMs: number;
  /** Waits for a slot for `key`; gives up (without waiting) once the wait would exceed maxWaitMs. */
  acquire(key: string, maxWaitMs: number): Promise<AcquireResult>;
  /** Holds every request for `key` until `untilMs` (after a 429). Never shortens an existing pause. */
  pauseUntil(key: string, untilMs: number): void;
  /** Number of keys currently tracked (for tests and metrics). */
  trackedKeys(): number;
}

interface Window {
  grants: number[]; // ascending grant times
  pausedUntil: number;
  lastUsed: number;
}

/** HubSpot's budget per (app, portal): 110 requests per rolling 10 s; each grant held 250 ms longer (see above). */
export const DEFAULT_RATE_LIMIT = { maxRequests: 110, intervalMs: 10_000, safetyMarginMs: 250 } as const;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPortalRateLimiter(options: PortalRateLimiterOptions = {}): PortalRateLimiter {
  const max = options.maxRequests ?? DEFAULT_RATE_LIMIT.maxRequests;
  const intervalMs = options.intervalMs ?? DEFAULT_RATE_LIMIT.intervalMs;
  const holdMs = intervalMs + (options.safetyMarginMs ?? DEFAULT_RATE_LIMIT.safetyMarginMs);
  const idleEvictMs = Math.max(options.idleEvictMs ?? 60_000, holdMs);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  if (!(max >= 1) || !(intervalMs > 0)) throw new RangeError('rate limit needs maxRequests >= 1 and intervalMs > 0');

  const windows = new Map<string, Window>();
  let lastSweep = now();

  function windowFor(key: string, at: number): Window {
    let w = windows.get(key);
    if (!w) {
      w = { grants: [], pausedUntil: 0, lastUsed: at };
      windows.set(key, w);
    }
    return w;
  }

  function waitMs(w: Window, at: number): number {
    while (w.grants.length > 0 && (w.grants[0] as number) + holdMs <= at) w.grants.shift();
    let wait = Math.max(0, w.pausedUntil - at);
    if (w.grants.length >= max) wait = Math.max(wait, (w.grants[w.grants.length - max] as number) + holdMs - at);
    return wait;
  }

  // Amortised: at most one full pass per idleEvictMs, so memory is bounded by the portals active in that time.
  function sweep(at: number): void {
    if (at - lastSweep < idleEvictMs) return;
    lastSweep = at;
    for (const [key, w] of windows) {
      if (at - w.lastUsed >= idleEvictMs && w.pausedUntil <= at) windows.delete(key);
    }
  }

  return {
    intervalMs,
    async acquire(key, maxWaitMs) {
      const start = now();
      sweep(start);
      for (;;) {
        const at = now();
        const w = windowFor(key, at);
        const wait = waitMs(w, at);
        // Check and record happen in one synchronous step, so concurrent callers cannot both take the last slot.
        if (wait <= 0) {
          w.grants.push(at);
          w.lastUsed = at;
          return { granted: true, waitedMs: at - start };
        }
        if (at - start + wait > maxWaitMs) return { granted: false, retryAfterMs: wait };
        await sleep(wait);
      }
    },
    pauseUntil(key, untilMs) {
      const w = windowFor(key, now());
      w.pausedUntil = Math.max(w.pausedUntil, untilMs);
    },
    trackedKeys: () => windows.size,
  };
}
