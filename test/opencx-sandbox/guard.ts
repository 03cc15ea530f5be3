// What runs before every OpenCX API operation, in the order a real API gateway would apply it: injected faults,
// the bearer key (401), the per-key rate limit (429), then the key's scope (403). Errors use the documented
// `{ statusCode, message, error }` body (docs/opencx-api.md §1).
import type { Context } from 'hono';
import { REQUESTS_PER_MINUTE, type OpenCxOperation } from './contract';
import type { OpenCxSandboxState } from './state';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export const errorBody = (status: number, message: string | string[]) => ({ statusCode: status, message, error: REASONS[status] ?? 'Error' });

export const sendError = (c: Context, status: number, message: string | string[], headers: Record<string, string> = {}) =>
  c.json(errorBody(status, message), status as 400, headers);

const bearerOf = (header: string | undefined): string | null => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
};

export type Guarded = { key: string } | { refused: Response };

export function guard(c: Context, state: OpenCxSandboxState, operation: OpenCxOperation, now: number, perMinute = REQUESTS_PER_MINUTE): Guarded {
  const path = c.req.path;
  const fault = state.faults.find((f) => f.times > 0 && (!f.pathEndsWith || path.endsWith(f.pathEndsWith)));
  if (fault) {
    fault.times -= 1;
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    return { refused: sendError(c, fault.status, REASONS[fault.status] ?? 'Injected fault', headers) };
  }
  const key = bearerOf(c.req.header('authorization'));
  const grant = key === null ? undefined : state.keys.get(key);
  if (key === null || grant === undefined) return { refused: sendError(c, 401, 'Unauthorized') };

  // A rolling minute per key: the oldest grant leaving the window frees the next slot.
  const window = (state.windows.get(key) ?? []).filter((at) => at > now - 60_000);
  state.windows.set(key, window);
  if (window.length >= perMinute) {
    const retryAfter = Math.max(1, Math.ceil((window[0]! + 60_000 - now) / 1000));
    return { refused: sendError(c, 429, 'ThrottlerException: Too Many Requests', { 'retry-after': String(retryAfter) }) };
  }
  window.push(now);

  if (grant !== 'full' && !grant.includes(operation.scope)) {
    return { refused: sendError(c, 403, `This API key lacks the scope ${operation.scope}`) };
  }
  return { key };
}
