// HubSpot's `hubspot.fetch` proxy for app cards (docs/hubspot-contract.md §4): adds the identity query params,
// signs the final URL, a 15 s deadline by default (up to 120 s), one retry on a connection error or 5xx.
import { SandboxError, type SandboxContext } from './context';
import { isInstalled } from './grants';
import { sendOutbound, USER_AGENTS, type OutboundResult } from './http-out';
import { nextId } from './ids';
import { requirePortal, requireUser } from './portals';
import { signatureHeaders } from './signing';
import { pushCapped } from './state';

export interface CardFetchInput {
  portalId: number;
  userId: number;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Per-request timeout, as a card's `timeout` option: at most the configured deadline (15 s default, 120 s max). */
  timeoutMs?: number;
}

export interface CardFetchResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set when no response arrived (status is then 0). */
  error?: string;
}

export async function cardFetch(ctx: SandboxContext, input: CardFetchInput): Promise<CardFetchResult> {
  const portal = requirePortal(ctx, input.portalId);
  const user = requireUser(portal, input.userId);
  if (!isInstalled(ctx, portal.portalId)) throw new SandboxError(`app is not installed in portal ${portal.portalId}`);
  const method = (input.method ?? 'GET').toUpperCase();
  const url = new URL(input.url);
  // ASSUMPTION (UNVERIFIED): HubSpot appends exactly userId, portalId, userEmail, appId. source: docs/hubspot-contract.md §4
  url.searchParams.append('userId', String(user.userId));
  url.searchParams.append('portalId', String(portal.portalId));
  url.searchParams.append('userEmail', user.email);
  url.searchParams.append('appId', String(ctx.app.appId));
  const finalUrl = url.toString();
  const body = input.body === undefined || method === 'GET' ? '' : JSON.stringify(input.body);
  const timeoutMs = Math.min(input.timeoutMs ?? ctx.config.cardFetchTimeoutMs, ctx.config.cardFetchTimeoutMs);
  const started = Date.now();

  let attempts = 0;
  let headers: Record<string, string> = {};
  let result: OutboundResult | undefined;
  while (attempts < 2) {
    attempts += 1;
    const timestamp = ctx.now();
    // ASSUMPTION (UNVERIFIED): hubspot.fetch sends v3 and also a v2 legacy signature. source: docs/hubspot-contract.md §4
    headers = {
      Accept: 'application/json',
      'User-Agent': USER_AGENTS.fetch,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...signatureHeaders({ clientSecret: ctx.app.clientSecret, method, url: finalUrl, body, timestamp, legacy: 'v2' }),
    };
    const remaining = timeoutMs - (Date.now() - started);
    if (remaining <= 0) break;
    result = await ctx.work.track(sendOutbound({
      url: finalUrl, method, headers, body: body || undefined, timeoutMs: remaining, shutdown: ctx.shutdown,
    }));
    const retryable = !result.ok ? result.error === 'network' : result.status >= 500;
    if (!retryable) break;
  }

  const out: CardFetchResult = !result
    ? { status: 0, headers: {}, body: null, error: 'timeout' }
    : result.ok
      ? { status: result.status, headers: result.headers, body: parseBody(result.bodyText, result.headers['content-type']) }
      : { status: 0, headers: {}, body: null, error: `${result.error}: ${result.message}` };
  pushCapped(ctx.state.cardFetches, {
    id: nextId(ctx.state, 'cardFetch'), portalId: portal.portalId, userId: user.userId, method, url: finalUrl,
    requestBody: body || undefined, headers, attempts, status: out.status, responseBody: out.body, error: out.error, at: ctx.now(),
  });
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!contentType?.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
