import { AiServiceError, type AiServiceErrorCode } from '../agent';

/**
 * Why an OpenCX API call failed, translated here from OpenCX's statuses (docs/opencx-api.md §1) and nowhere else.
 * `key_refused` (401/403) and `bad_request` (400) are permanent and shown to the organization's admin;
 * the others are transient: the caller retries later.
 */
export type OpenCxFailure = 'key_refused' | 'bad_request' | 'session_not_found' | 'rate_limited' | 'server_error' | 'timeout' | 'unreachable' | 'bad_response';

const AS_AI_ERROR: Record<OpenCxFailure, AiServiceErrorCode> = {
  key_refused: 'rejected',
  bad_request: 'rejected',
  session_not_found: 'rejected',
  rate_limited: 'rate_limited',
  server_error: 'server_error',
  timeout: 'timeout',
  unreachable: 'unreachable',
  bad_response: 'bad_response',
};

/** An AiServiceError, so the reply flow treats it like any AI failure: transient → retried, permanent → a person. */
export class OpenCxApiError extends AiServiceError {
  override readonly name = 'AiServiceError';

  constructor(
    readonly failure: OpenCxFailure,
    message: string,
    status: number | null,
    /** From OpenCX's Retry-After (or our own per-key limiter): when trying again can work. */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(AS_AI_ERROR[failure], message, status, 1, options);
  }

  /** What an organization's admin must see on the settings page (the key or the request needs their action). */
  get concernsAdmin(): boolean {
    return this.failure === 'key_refused' || this.failure === 'bad_request';
  }
}

const snippet = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** Messages an admin understands, saying what to do; OpenCX's own message is added for 400s (it names the field). */
export function errorForStatus(status: number, openCxMessage: string | null, retryAfterMs: number | null): OpenCxApiError {
  if (status === 401) {
    return new OpenCxApiError(
      'key_refused',
      'OpenCX refused the API key (401 Unauthorized): it is wrong, revoked or expired. Create a new key in OpenCX (Settings → Access → Create API Key) and save it here.',
      status,
    );
  }
  if (status === 403) {
    return new OpenCxApiError(
      'key_refused',
      'OpenCX refused the API key (403 Forbidden): the key has no access to chat sessions. Give it Full access, or the chat-sessions:read and chat-sessions:write scopes, in OpenCX (Settings → Access), or save a key that has them.',
      status,
    );
  }
  if (status === 404) return new OpenCxApiError('session_not_found', 'OpenCX does not know this chat session (404)', status);
  if (status === 429) return new OpenCxApiError('rate_limited', 'OpenCX is rate limiting this API key (429: over 100 requests a minute)', status, retryAfterMs);
  if (status >= 500) return new OpenCxApiError('server_error', `OpenCX failed (${status}); retrying later`, status, retryAfterMs);
  return new OpenCxApiError(
    'bad_request',
    `OpenCX refused a request as invalid (${status})${openCxMessage ? `: ${snippet(openCxMessage)}` : ''}. OpenCX for HubSpot sent something the OpenCX API does not accept; contact support if this persists.`,
    status,
  );
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 allows both); null when absent or unreadable. */
export function retryAfterMsOf(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
