// The ONE place where HubSpot API failures (SDK ApiException, raw responses from client.apiRequest, network
// errors, timeouts) become a HubSpotApiError. Nothing above the gateway sees an SDK error.
import { clipMessage, redactSecrets } from './redact';

export type HubSpotApiErrorKind =
  | 'unauthorized'
  | 'forbidden_scope'
  | 'not_found'
  | 'conflict'
  | 'validation'
  | 'rate_limited'
  | 'transient'
  | 'unexpected';

/** The category of a call our own per-portal limiter refused (never sent): HubSpot's budget would be exceeded. */
export const LOCAL_RATE_LIMIT = 'LOCAL_RATE_LIMIT';

export class HubSpotApiError extends Error {
  override readonly name = 'HubSpotApiError';
  readonly kind: HubSpotApiErrorKind;
  /** HTTP status; 0 when no response arrived (network error, timeout) or the limit was hit locally. */
  readonly status: number;
  /** HubSpot's `category` (OBJECT_NOT_FOUND, VALIDATION_ERROR, MISSING_SCOPES, …) or the 429 `policyName`. */
  readonly category: string | undefined;
  readonly correlationId: string | undefined;
  /** How long to wait before trying again, when HubSpot or our limiter says so. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    kind: HubSpotApiErrorKind;
    status: number;
    message: string;
    category?: string;
    correlationId?: string;
    retryAfterMs?: number;
  }) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.category = init.category;
    this.correlationId = init.correlationId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Worth retrying later. A DAILY quota is not: it only resets the next day. */
  get isTransient(): boolean {
    if (this.kind === 'transient') return true;
    return this.kind === 'rate_limited' && this.category !== 'DAILY';
  }

  toJSON() {
    const { name, kind, status, category, correlationId, retryAfterMs, message } = this;
    return { name, kind, status, category, correlationId, retryAfterMs, message };
  }
}

/** A non-2xx answer, before translation. Headers are lowercase-keyed. */
export interface HttpFailure {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface TranslateContext {
  operation: string;
  /** Scrubbed from every message: the access token of the call, at least. */
  secrets: readonly string[];
  /** Used as the pause when a 429 names no reset time. */
  rateLimitIntervalMs: number;
  now: number;
}

/** Error raised by our own per-attempt timeout. */
export class AttemptTimeout extends Error {
  override readonly name = 'AttemptTimeout';
}

// Network error codes for which the request never left this process: safe to retry even a non-idempotent call.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** True when the call certainly did not reach HubSpot (so a create can be retried without duplicating). */
export function wasNeverSent(raw: unknown): boolean {
  const code = (raw as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}

export function isHttpFailure(raw: unknown): raw is HttpFailure {
  const r = raw as Partial<HttpFailure> | null;
  return !!r && typeof r === 'object' && typeof r.status === 'number' && typeof r.headers === 'object' && r.headers !== null && 'body' in r;
}

/** The SDK's generated ApiException ({ code: number, body, headers }); each codegen module has its own class. */
function fromSdkException(raw: unknown): HttpFailure | undefined {
  const r = raw as { code?: unknown; body?: unknown; headers?: unknown } | null;
  if (!r || typeof r !== 'object' || typeof r.code !== 'number') return undefined;
  const headers = r.headers && typeof r.headers === 'object' ? (r.headers as Record<string, string>) : {};
  return { status: r.code, headers: lowerCaseKeys(headers), body: r.body };
}

export function toHubSpotApiError(raw: unknown, ctx: TranslateContext, captured?: HttpFailure): HubSpotApiError {
  if (raw instanceof HubSpotApiError) return raw;
  const failure = isHttpFailure(raw) ? raw : (fromSdkException(raw) ?? captured);
  if (failure && (failure.status < 200 || failure.status > 299)) return fromHttpFailure(failure, ctx);
  if (raw instanceof AttemptTimeout) {
    return new HubSpotApiError({ kind: 'transient', status: 0, message: `HubSpot ${ctx.operation} timed out` });
  }
  const code = (raw as { code?: unknown } | null)?.code;
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof code === 'string' || type === 'system' || (raw instanceof Error && raw.name === 'FetchError')) {
    return new HubSpotApiError({ kind: 'transient', status: 0, message: `HubSpot ${ctx.operation} failed: network error${typeof code === 'string' ? ` ${code}` : ''}` });
  }
  // E.g. the SDK failing to deserialize a 2xx answer. The original text is not copied (it can embed headers).
  return new HubSpotApiError({ kind: 'unexpected', status: failure?.status ?? 0, message: `HubSpot ${ctx.operation} failed: unexpected response` });
}

function fromHttpFailure(failure: HttpFailure, ctx: TranslateContext): HubSpotApiError {
  const body = parseBody(failure.body);
  const policyName = str(body.policyName);
  // For 429s the policy (TEN_SECONDLY_ROLLING / DAILY) is the useful classification.
  const category = policyName ?? str(body.category) ?? str(body.errorType);
  const correlationId = str(body.correlationId) ?? failure.headers['x-hubspot-correlation-id'];
  const kind = kindOf(failure.status);
  const detail = str(body.message) ?? (typeof failure.body === 'string' && !looksLikeHtml(failure.body) ? failure.body : `HTTP ${failure.status}`);
  const retryAfterMs = retryAfterOf(failure, body, kind, policyName, ctx);
  const text = `HubSpot ${ctx.operation} failed (${failure.status}${category ? ` ${category}` : ''}): ${detail}`;
  return new HubSpotApiError({
    kind,
    status: failure.status,
    message: redactSecrets(clipMessage(text), ctx.secrets),
    ...(category ? { category } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function kindOf(status: number): HubSpotApiErrorKind {
  if (status === 401) return 'unauthorized';
  // UNVERIFIED: a 403 can also mean a portal-level restriction, not only MISSING_SCOPES (docs/hubspot-contract.md §6)
  if (status === 403) return 'forbidden_scope';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'validation';
  if (status === 429) return 'rate_limited';
  // 423 Locked and 477 Migration in Progress are documented as "wait and retry" (docs/hubspot-contract.md §6).
  if (status === 408 || status === 423 || status === 477 || status >= 500) return 'transient';
  return 'unexpected';
}

function retryAfterOf(failure: HttpFailure, body: Record<string, unknown>, kind: HubSpotApiErrorKind, policyName: string | undefined, ctx: TranslateContext) {
  const header = parseRetryAfterMs(failure.headers['retry-after'], ctx.now);
  if (header !== undefined) return header;
  if (failure.status === 423) return 2_000; // "wait at least 2 seconds" (error-handling page, docs/hubspot-contract.md §6)
  if (kind !== 'rate_limited' || policyName === 'DAILY') return undefined;
  // CRM search's own per-second limit (the message the SDK's RetryDecorator keys on, docs/hubspot-contract.md §7.2).
  if (body.message === 'You have reached your secondly limit.') return 1_000;
  // A rolling window has no reset instant we can see; waiting one full interval is the only safe bound.
  const interval = Number(failure.headers['x-hubspot-ratelimit-interval-milliseconds']);
  return Number.isFinite(interval) && interval > 0 ? interval : ctx.rateLimitIntervalMs;
}

/**
 * `Retry-After` as delta-seconds or HTTP-date (RFC 9110 §10.2.3).
 * UNVERIFIED: whether HubSpot API 429s carry Retry-After at all (docs/hubspot-contract.md §6)
 */
export function parseRetryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseBody(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // Not JSON (an edge proxy's HTML page): classified by status alone.
    }
  }
  return {};
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const looksLikeHtml = (s: string) => /^\s*</.test(s);

export function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
