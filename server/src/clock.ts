import type { Timestamp } from '@opencx/shared';

/** Time comes in through this port so tests can pin it; the domain takes `now` as an argument. */
export interface Clock {
  now(): Timestamp;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to, for tests of timers, leases and backoff. */
export function createFixedClock(start: Timestamp): Clock & { set(at: Timestamp): void; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    set: (at) => {
      current = at;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
