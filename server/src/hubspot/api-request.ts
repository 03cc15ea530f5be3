// JSON over the SDK's generic `client.apiRequest`, for APIs the SDK does not generate (Conversations v3,
// account-info). apiRequest resolves on 4xx/5xx (docs/hubspot-contract.md §7.1), so the status is checked here and turned into an
// HttpFailure for api-error.ts to translate like any SDK error.
import type { Client } from '@hubspot/api-client';
import type { HttpFailure } from './api-error';

export class HttpFailureError extends Error implements HttpFailure {
  override readonly name = 'HttpFailureError';
  constructor(readonly status: number, readonly headers: Record<string, string>, readonly body: unknown) {
    super(`HTTP ${status}`);
  }
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  qs?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** Path segments from callers (thread ids, actor ids) are encoded so an id can never change the route. */
export const segment = (value: string | number): string => encodeURIComponent(String(value));

export async function requestJson<T>(client: Client, req: JsonRequest): Promise<T | undefined> {
  const qs = req.qs ? Object.fromEntries(Object.entries(req.qs).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) : undefined;
  const res = await client.apiRequest({
    method: req.method,
    path: req.path,
    ...(qs && Object.keys(qs).length > 0 ? { qs } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    throw new HttpFailureError(res.status, headers, text);
  }
  return text ? (JSON.parse(text) as T) : undefined;
}

/** Like requestJson, for calls whose success always has a body. */
export async function requestJsonBody<T>(client: Client, req: JsonRequest): Promise<T> {
  const body = await requestJson<T>(client, req);
  if (body === undefined) throw new Error('empty response body');
  return body;
}
