// One outbound HTTP call from "HubSpot" to the app, with a hard deadline covering headers and body.
import { performance } from 'node:perf_hooks';

export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Aborts the call when the sandbox closes. */
  shutdown: AbortSignal;
}

export type OutboundResult =
  | { ok: true; status: number; headers: Record<string, string>; bodyText: string; durationMs: number }
  | { ok: false; error: 'timeout' | 'network' | 'aborted'; message: string; durationMs: number };

export async function sendOutbound(req: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = AbortSignal.any([timeout, req.shutdown]);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      redirect: 'manual',
    });
    // The deadline covers the whole response: a server that sends headers and then stalls is still too slow.
    const bodyText = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { ok: true, status: res.status, headers, bodyText, durationMs: performance.now() - started };
  } catch (err) {
    const durationMs = performance.now() - started;
    if (req.shutdown.aborted) return { ok: false, error: 'aborted', message: 'sandbox closed', durationMs };
    if (timeout.aborted) return { ok: false, error: 'timeout', message: `no response within ${req.timeoutMs} ms`, durationMs };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, error: 'network', message: cause?.code ?? cause?.message ?? (err as Error).message, durationMs };
  }
}

/** HubSpot-like user agents for outbound calls. */
// Webhooks: captured header (docs/hubspot-contract.md §2.1). ASSUMPTION (UNVERIFIED): the action and fetch agents reuse the same product name.
// source: https://prismatic.io/docs/example-payloads/hubspot/triggers/webhook.json (via docs/hubspot-contract.md §2.1)
export const USER_AGENTS = {
  webhooks: 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - WebhooksExecutorDaemon-executor',
  actions: 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: automation-actions-http-client)',
  fetch: 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: ui-extensions-proxy)',
} as const;
