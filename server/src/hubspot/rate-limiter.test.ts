import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPortalRateLimiter } from './rate-limiter';

// Fake timers drive both the limiter's clock (Date.now) and its sleep (setTimeout).
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const limiterFor = (opts: Parameters<typeof createPortalRateLimiter>[0] = {}) =>
  createPortalRateLimiter({ maxRequests: 5, intervalMs: 1_000, safetyMarginMs: 50, ...opts });

/** Largest number of grants falling inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    let j = i;
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('createPortalRateLimiter', () => {
  it('grants up to the limit at once, then holds the next until the oldest grant leaves the window', async () => {
    const limiter = limiterFor();
    const start = Date.now();
    for (let i = 0; i < 5; i += 1) expect(await limiter.acquire('portal:1', 60_000)).toEqual({ granted: true, waitedMs: 0 });
    let sixth: unknown;
    void limiter.acquire('portal:1', 60_000).then((r) => (sixth = r));
    await vi.advanceTimersByTimeAsync(1_049);
    expect(sixth).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(sixth).toEqual({ granted: true, waitedMs: 1_050 });
    expect(Date.now() - start).toBe(1_050);
  });

  it('keeps a concurrent burst under the limit in every rolling window', async () => {
    const limiter = limiterFor();
    const grants: number[] = [];
    const all = Array.from({ length: 23 }, () => limiter.acquire('portal:1', 60_000).then(() => grants.push(Date.now())));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(all);
    expect(grants).toHaveLength(23);
    expect(maxInWindow(grants, 1_000)).toBeLessThanOrEqual(5);
    // 23 requests at 5 per 1 050 ms: the last batch starts in the fifth window.
    expect(Math.max(...grants) - Math.min(...grants)).toBe(4 * 1_050);
  });

  it('keeps portals independent', async () => {
    const limiter = limiterFor();
    for (let i = 0; i < 5; i += 1) await limiter.acquire('portal:1', 0);
    expect(await limiter.acquire('portal:1', 0)).toEqual({ granted: false, retryAfterMs: 1_050 });
    expect(await limiter.acquire('portal:2', 0)).toEqual({ granted: true, waitedMs: 0 });
  });

  it('refuses without waiting when the wait would exceed maxWaitMs', async () => {
    const limiter = limiterFor();
    limiter.pauseUntil('portal:1', Date.now() + 10_000);
    expect(await limiter.acquire('portal:1', 9_999)).toEqual({ granted: false, retryAfterMs: 10_000 });
  });

  it('holds every request of a paused portal until the pause ends, and never shortens a pause', async () => {
    const limiter = limiterFor();
    limiter.pauseUntil('portal:1', Date.now() + 2_000);
    limiter.pauseUntil('portal:1', Date.now() + 500);
    const done: number[] = [];
    const start = Date.now();
    const both = [limiter.acquire('portal:1', 60_000), limiter.acquire('portal:1', 60_000)].map((p) => p.then(() => done.push(Date.now() - start)));
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(both);
    expect(done).toEqual([2_000, 2_000]);
  });

  it('forgets idle portals, so memory does not grow with the number of portals ever seen', async () => {
    const limiter = limiterFor({ idleEvictMs: 5_000 });
    for (let p = 0; p < 1_000; p += 1) await limiter.acquire(`portal:${p}`, 0);
    expect(limiter.trackedKeys()).toBe(1_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await limiter.acquire('portal:fresh', 0);
    expect(limiter.trackedKeys()).toBe(1);
  });

  it('does not forget a portal that is still paused', async () => {
    const limiter = limiterFor({ idleEvictMs: 2_000 });
    limiter.pauseUntil('portal:1', Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(3_000);
    await limiter.acquire('portal:2', 0);
    expect(await limiter.acquire('portal:1', 0)).toMatchObject({ granted: false });
  });

  it('rejects nonsensical limits', () => {
    expect(() => createPortalRateLimiter({ maxRequests: 0 })).toThrow(RangeError);
    expect(() => createPortalRateLimiter({ intervalMs: 0 })).toThrow(RangeError);
  });
});
