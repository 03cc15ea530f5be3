/**
 * HubSpot's per-portal request budget kept where every instance sees it (PostgreSQL only: a SQLite file has one
 * server, whose budget stays in memory, hubspot/rate-limiter.ts). Times are the database's clock, so instances
 * whose clocks disagree still share one rolling window.
 */
export interface HubSpotBudgetStore {
  /**
   * Takes one request from `key`'s budget of `max` per rolling `windowMs` if there is one left and no pause holds
   * it; otherwise says how long until there will be. Atomic across instances.
   */
  take(key: string, max: number, windowMs: number): Promise<{ granted: true } | { granted: false; retryAfterMs: number }>;
  /** Holds every request of `key` for `forMs` (HubSpot answered 429). Never shortens a longer pause. */
  pause(key: string, forMs: number): Promise<void>;
}
