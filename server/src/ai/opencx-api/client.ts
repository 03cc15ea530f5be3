import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { createPortalRateLimiter, type PortalRateLimiter } from '../../hubspot/rate-limiter';
import { errorForStatus, OpenCxApiError, retryAfterMsOf } from './errors';
import {
  createSessionResponse,
  errorResponse,
  sendMessageResponse,
  sessionResponse,
  type CreateSessionRequest,
  type SendMessageRequest,
  type SendMessageResult,
  type UpdateSessionRequest,
} from './schemas';

/** The OpenCX API calls this server makes, each with the organization's key. */
export interface OpenCxApi {
  createSession(apiKey: string, body: CreateSessionRequest, signal?: AbortSignal): Promise<{ id: string }>;
  sendMessage(apiKey: string, sessionId: string, body: SendMessageRequest, signal?: AbortSignal): Promise<SendMessageResult>;
  updateSession(apiKey: string, sessionId: string, body: UpdateSessionRequest, signal?: AbortSignal): Promise<void>;
  /** The session's custom data (docs/opencx-api.md §4), values as text. */
  getSession(apiKey: string, sessionId: string, signal?: AbortSignal): Promise<{ customData: Record<string, string> }>;
}

export interface OpenCxClientOptions {
  /** OPENCX_API_BASE_URL, without a trailing slash. */
  baseUrl: string;
  /** Per attempt, body included. */
  timeoutMs?: number;
  /** How long a call may wait for a slot of its key's budget (or a 429's Retry-After) before failing as transient. */
  maxWaitMs?: number;
  /** Default: OpenCX's documented 100 requests a minute per key (docs/opencx-api.md §1). */
  limiter?: PortalRateLimiter;
  fetch?: typeof fetch;
  now?: () => number;
}

/** 100 a rolling minute per key; each grant held 500 ms longer, since OpenCX's clock starts at arrival. */
export const createOpenCxRateLimiter = (now?: () => number) =>
  createPortalRateLimiter({ maxRequests: 100, intervalMs: 60_000, safetyMarginMs: 500, idleEvictMs: 5 * 60_000, ...(now ? { now } : {}) });

/** The limiter's key: never the API key itself, so no map or heap dump of ours holds it in clear. */
const budgetKeyOf = (apiKey: string) => createHash('sha256').update(apiKey).digest('base64url').slice(0, 22);

/**
 * The OpenCX API over HTTP. One instance per server (its limiter is the per-key budget every caller shares).
 * Every failure comes out as an OpenCxApiError (errors.ts); a 429 pauses the key's budget for its Retry-After and
 * is tried again once when that wait fits in `maxWaitMs`. Nothing else is retried here: a send that timed out
 * may have reached OpenCX, and the reply flow decides when to try again.
 */
export function createOpenCxClient(options: OpenCxClientOptions): OpenCxApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? createOpenCxRateLimiter(now);
  const fetchImpl = options.fetch ?? fetch;

  async function call<S extends z.ZodType>(apiKey: string, method: string, path: string, body: unknown, schema: S | null, caller?: AbortSignal): Promise<z.output<S> | undefined> {
    const budgetKey = budgetKeyOf(apiKey);
    for (let attempt = 1; ; attempt++) {
      const slot = await limiter.acquire(budgetKey, maxWaitMs);
      if (!slot.granted) {
        throw new OpenCxApiError('rate_limited', 'Over OpenCX\'s 100 requests a minute for this API key; retrying later', null, slot.retryAfterMs);
      }
      const response = await send(apiKey, method, path, body, caller);
      if (response.status === 429 && attempt === 1) {
        const retryAfterMs = retryAfterMsOf(response.headers.get('retry-after'), now()) ?? 1_000;
        limiter.pauseUntil(budgetKey, now() + retryAfterMs);
        if (retryAfterMs <= maxWaitMs) continue;
      }
      return readResponse(response, schema);
    }
  }

  async function send(apiKey: string, method: string, path: string, body: unknown, caller?: AbortSignal): Promise<{ status: number; headers: Headers; text: string }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    try {
      const response = await fetchImpl(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      // The caller's abort (shutdown) is not OpenCX failing: it propagates as is.
      if (caller?.aborted) throw caller.reason;
      if (timeout.aborted) throw new OpenCxApiError('timeout', `OpenCX did not answer within ${timeoutMs} ms`, null, null, { cause: error });
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      throw new OpenCxApiError('unreachable', `Could not reach the OpenCX API${typeof code === 'string' ? ` (${code})` : ''}`, null, null, { cause: error });
    }
  }

  function readResponse<S extends z.ZodType>(response: { status: number; headers: Headers; text: string }, schema: S | null): z.output<S> | undefined {
    const { status, text } = response;
    if (status < 200 || status >= 300) {
      const message = parseJson(text);
      const parsed = message === undefined ? null : errorResponse.safeParse(message);
      throw errorForStatus(status, parsed?.success ? parsed.data : null, retryAfterMsOf(response.headers.get('retry-after'), now()));
    }
    if (schema === null) return undefined;
    const json = parseJson(text);
    const parsed = json === undefined ? null : schema.safeParse(json);
    if (!parsed?.success) throw new OpenCxApiError('bad_response', `OpenCX answered ${status} with a body this server cannot read`, status);
    return parsed.data;
  }

  const sessionPath = (id: string) => `/chat/sessions/${encodeURIComponent(id)}`;
  return {
    createSession: async (apiKey, body, signal) => (await call(apiKey, 'POST', '/chat/sessions', body, createSessionResponse, signal))!,
    sendMessage: async (apiKey, id, body, signal) => (await call(apiKey, 'POST', `${sessionPath(id)}/send`, body, sendMessageResponse, signal))!,
    updateSession: async (apiKey, id, body, signal) => {
      await call(apiKey, 'PATCH', sessionPath(id), body, null, signal);
    },
    getSession: async (apiKey, id, signal) => (await call(apiKey, 'GET', sessionPath(id), undefined, sessionResponse, signal))!,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
