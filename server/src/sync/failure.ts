import { AiServiceError } from '../ai';
import { AppError, type ErrorCode } from '../errors';
import { HubSpotApiError, LOCAL_RATE_LIMIT, SHUTTING_DOWN } from '../hubspot';

/** A failure no retry can fix, raised by our own code (e.g. a stored event the current parser refuses). */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

export interface Failure {
  /** Worth trying again later (HubSpot or the AI down, a lock, a lost race); else dead at once. */
  transient: boolean;
  /** The wait HubSpot or our limiter asked for, when one did. */
  retryAfterMs?: number;
  /**
   * Nothing went wrong: the call was never sent because our own HubSpot budget was spent or the server is
   * stopping. The work is put back as usual, but this is routine, not worth a warning per event.
   */
  deferred?: boolean;
  /** For `last_error`: our own or an adapter's redacted text, never a token. */
  message: string;
}

// Codes a later attempt can get past: an admin reconnecting, the database or a peer releasing something.
const TRANSIENT_APP_CODES: readonly ErrorCode[] = ['unavailable', 'rate_limited', 'version_conflict', 'reconnect_required', 'internal'];
const BUSY = /^SQLITE_(BUSY|LOCKED)/;

/**
 * Whether background work that failed should be retried. Unknown errors count as transient: a bug then costs a
 * few retries before the event is dead-lettered with its error, where a wrong "permanent" would lose the event
 * at the first hiccup.
 */
export function classifyFailure(err: unknown): Failure {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (err instanceof PermanentFailure) return { transient: false, message };
  if (err instanceof HubSpotApiError) {
    // A 401 mid-flight is a token that expired between refresh and use; the next attempt gets a fresh one.
    const transient = err.isTransient || err.kind === 'unauthorized';
    const deferred = err.category === LOCAL_RATE_LIMIT || err.category === SHUTTING_DOWN;
    return {
      transient,
      message,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      ...(deferred ? { deferred } : {}),
    };
  }
  if (err instanceof AppError) return { transient: TRANSIENT_APP_CODES.includes(err.code), message };
  if (err instanceof AiServiceError) return { transient: err.transient, message };
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BUSY.test(code)) return { transient: true, message };
  return { transient: true, message };
}

export const isNotFound = (err: unknown): boolean => err instanceof HubSpotApiError && err.kind === 'not_found';
