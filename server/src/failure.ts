import { AiServiceError } from './ai';
import { AppError, type ErrorCode } from './errors';
import { HubSpotApiError, LOCAL_RATE_LIMIT, SHUTTING_DOWN } from './hubspot';

/** A failure no retry can fix, raised by our own code (e.g. a stored event the current parser refuses). */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/**
 * What went wrong, in the terms every caller branches on:
 * - `busy`: the database is locked by another connection (SQLITE_BUSY, SQLITE_LOCKED);
 * - `version_conflict`: a write race lost (AppError `version_conflict`);
 * - `hubspot_rate_limited`, `hubspot_unavailable`: HubSpot (or our limiter for it) said "later": 429, 5xx, network;
 * - `connection_lost`: the grant is gone or lacks a scope; only an admin reconnecting fixes it;
 * - `hubspot_not_found`, `hubspot_rejected` (validation, conflict), `hubspot_failed`: HubSpot refused for good;
 * - `ai`: the AI service failed (`transient` says whether it may answer later);
 * - `app`: another of our AppErrors; `permanent`: a PermanentFailure; `unknown`: anything else.
 */
export type FailureKind =
  | 'busy'
  | 'version_conflict'
  | 'hubspot_rate_limited'
  | 'hubspot_unavailable'
  | 'connection_lost'
  | 'hubspot_not_found'
  | 'hubspot_rejected'
  | 'hubspot_failed'
  | 'ai'
  | 'app'
  | 'permanent'
  | 'unknown';

export interface Failure {
  kind: FailureKind;
  /** Worth trying again later in the background (HubSpot or the AI down, a lock, a lost race); else dead at once. */
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
// better-sqlite3 raises these when another connection holds the write lock past busy_timeout.
const BUSY = /^SQLITE_(BUSY|LOCKED)/;

/**
 * The one classification of anything thrown. Background work retries what is `transient`; unknown errors count
 * as transient there: a bug then costs a few retries before the work is dead-lettered with its error, where a
 * wrong "permanent" would lose it at the first hiccup. Requests use `retryLaterError` below.
 */
export function classifyFailure(err: unknown): Failure {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (err instanceof PermanentFailure) return { kind: 'permanent', transient: false, message };
  if (err instanceof HubSpotApiError) {
    // A 401 mid-flight is a token that expired between refresh and use; the next attempt gets a fresh one.
    const transient = err.isTransient || err.kind === 'unauthorized';
    const deferred = err.category === LOCAL_RATE_LIMIT || err.category === SHUTTING_DOWN;
    return {
      kind: hubSpotKind(err),
      transient,
      message,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      ...(deferred ? { deferred } : {}),
    };
  }
  if (err instanceof AppError) return { kind: appKind(err), transient: TRANSIENT_APP_CODES.includes(err.code), message };
  if (err instanceof AiServiceError) return { kind: 'ai', transient: err.transient, message };
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BUSY.test(code)) return { kind: 'busy', transient: true, message };
  return { kind: 'unknown', transient: true, message };
}

function hubSpotKind(err: HubSpotApiError): FailureKind {
  if (err.kind === 'unauthorized' || err.kind === 'forbidden_scope') return 'connection_lost';
  if (err.isTransient) return err.kind === 'rate_limited' ? 'hubspot_rate_limited' : 'hubspot_unavailable';
  if (err.kind === 'not_found') return 'hubspot_not_found';
  if (err.kind === 'validation' || err.kind === 'conflict') return 'hubspot_rejected';
  return 'hubspot_failed';
}

function appKind(err: AppError): FailureKind {
  if (err.code === 'version_conflict') return 'version_conflict';
  if (err.code === 'reconnect_required' || err.code === 'unknown_portal') return 'connection_lost';
  return 'app';
}

export const isNotFound = (err: unknown): boolean => classifyFailure(err).kind === 'hubspot_not_found';

/**
 * HubSpot refused our credentials (the app was uninstalled, a scope is missing) or the token provider says the
 * grant is gone: only an admin reconnecting fixes it, so a workflow step fails with NOT_CONNECTED rather than
 * being retried for days.
 */
export const isConnectionLost = (err: unknown): boolean => classifyFailure(err).kind === 'connection_lost';

/**
 * For a request: failures that a later call will likely not meet (the database busy, a write race lost three
 * times, HubSpot failing or rate-limiting while we checked something) as the AppError to answer with (503, or
 * 429 with the wait), so the caller (HubSpot's workflow engine, its card proxy) calls again. Null for the rest.
 * app.onError applies it to every route (http/send-error.ts).
 */
export function retryLaterError(err: unknown): { error: AppError; retryAfterMs?: number } | null {
  switch (classifyFailure(err).kind) {
    case 'busy':
      return { error: new AppError('unavailable', 'The OpenCX database is busy; try again', { cause: err }) };
    case 'version_conflict':
      return { error: new AppError('unavailable', 'The AI status changed while acting; try again', { cause: err }) };
    case 'hubspot_rate_limited':
      return {
        error: new AppError('rate_limited', 'HubSpot rate-limited OpenCX; try again later', { cause: err }),
        retryAfterMs: (err as HubSpotApiError).retryAfterMs ?? 10_000,
      };
    case 'hubspot_unavailable':
      return { error: new AppError('unavailable', 'HubSpot is not answering; try again', { cause: err }) };
    default:
      return null;
  }
}
