import { AppError } from '../errors';
import { HubSpotApiError } from '../hubspot';

export interface TransientFailure {
  error: AppError;
  /** For a 429: how long HubSpot should wait before calling again. */
  retryAfterMs?: number;
}

// better-sqlite3 raises these when another connection holds the write lock past busy_timeout.
const BUSY_CODES = /^SQLITE_(BUSY|LOCKED)/;

/**
 * Failures that a later call will likely not meet: the database busy, a write race lost three times, HubSpot
 * failing or rate-limiting while we checked something. They are answered 503/429 without recording an answer,
 * so HubSpot calls again with the same callbackId and the action runs then. Null for everything else.
 */
export function asTransientFailure(err: unknown): TransientFailure | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BUSY_CODES.test(code)) {
    return { error: new AppError('unavailable', 'The OpenCX database is busy; try again', { cause: err }) };
  }
  if (err instanceof AppError && err.code === 'version_conflict') {
    return { error: new AppError('unavailable', 'The AI status changed while acting; try again', { cause: err }) };
  }
  if (err instanceof HubSpotApiError && err.isTransient) {
    if (err.kind === 'rate_limited') {
      return {
        error: new AppError('rate_limited', 'HubSpot rate-limited OpenCX; try again later', { cause: err }),
        retryAfterMs: err.retryAfterMs ?? 10_000,
      };
    }
    return { error: new AppError('unavailable', 'HubSpot is not answering; try again', { cause: err }) };
  }
  return null;
}
