// What stands in front of every HubSpot API route: injected faults, the bearer check, the per-(app, portal)
// rolling rate limit with its headers, the scope check, and a request log for tests.
import type { Context, MiddlewareHandler } from 'hono';
import type { SandboxContext } from './context';
import { checkBearer } from './grants';
import { hsError } from './hs-errors';
import { correlationId } from './ids';
import type { Fault } from './runtime-types';
import { pushCapped } from './state';

export interface AuthInfo {
  kind: 'oauth' | 'private-app' | 'app';
  portalId: number;
  scopes: string[];
  userId?: number;
}

// The API routes' context: the caller's token (bearerAuth) and the contract row being served (contract/route.ts).
export type { ContractEnv as ApiEnv } from './contract/route';
import type { ContractEnv as ApiEnv } from './contract/route';

export const portalOf = (c: Context<ApiEnv>): number => c.get('auth').portalId;

// The 429 body the SDK's retry decorator keys on (policyName TEN_SECONDLY_ROLLING, docs/hubspot-contract.md §6 / §7.2).
export const rateLimitBody = () => ({
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: correlationId(),
  policyName: 'TEN_SECONDLY_ROLLING',
});

export class RateLimiter {
  private windows = new Map<string, number[]>();
  constructor(private readonly ctx: SandboxContext) {}

  /** Counts one request; returns what the rate-limit headers should say. */
  take(key: string): { allowed: boolean; remaining: number; max: number; intervalMs: number } {
    const { max, intervalMs } = this.ctx.state.rateLimit;
    const now = this.ctx.now();
    const recent = (this.windows.get(key) ?? []).filter((t) => t > now - intervalMs);
    const allowed = recent.length < max;
    if (allowed) recent.push(now);
    this.windows.set(key, recent);
    return { allowed, remaining: Math.max(0, max - recent.length), max, intervalMs };
  }

  clear(): void {
    this.windows.clear();
  }
}

function activeFault(ctx: SandboxContext, method: string, path: string): Fault | undefined {
  const now = ctx.now();
  ctx.state.faults = ctx.state.faults.filter((f) => (f.until === undefined || now < f.until) && (f.remaining === undefined || f.remaining > 0));
  return ctx.state.faults.find(
    (f) => (f.pathPrefix === undefined || path.startsWith(f.pathPrefix)) && (f.method === undefined || f.method.toUpperCase() === method),
  );
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

export function faultInjection(ctx: SandboxContext): MiddlewareHandler {
  return async (c, next) => {
    const fault = activeFault(ctx, c.req.method, c.req.path);
    if (!fault) return next();
    fault.hits += 1;
    if (fault.remaining !== undefined) fault.remaining -= 1;
    switch (fault.kind) {
      case 'delay':
        await sleep(fault.delayMs ?? 1000, ctx.shutdown);
        return next();
      case 'hang':
        // Hold the request until the fault is cleared, lapses, or the sandbox closes, then fail like a gateway.
        while (!ctx.shutdown.aborted && ctx.state.faults.includes(fault) && (fault.until === undefined || ctx.now() < fault.until)) {
          await sleep(20, ctx.shutdown);
        }
        return hsError(c, 504, 'GATEWAY_TIMEOUT', 'The request timed out (injected hang).');
      case 'rate-limit':
        return c.json(rateLimitBody(), 429);
      case 'status':
        // ASSUMPTION (UNVERIFIED): HubSpot's 5xx bodies; edge 502/503s may even be HTML. source: docs/hubspot-contract.md §6
        return hsError(c, (fault.status ?? 500) as 500, 'INTERNAL_ERROR', `Injected fault: HTTP ${fault.status ?? 500}`);
    }
  };
}

export function bearerAuth(ctx: SandboxContext, limiter: RateLimiter): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const check = checkBearer(ctx, c.req.header('Authorization'));
    if (!check.ok) {
      log(ctx, c, 401);
      if (check.reason === 'expired') {
        // ASSUMPTION (UNVERIFIED): expired tokens answer category EXPIRED_AUTHENTICATION with this message. source: docs/hubspot-contract.md §6
        const seconds = Math.max(1, Math.round((check.expiredMsAgo ?? 0) / 1000));
        return hsError(c, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`);
      }
      return hsError(c, 401, 'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
    }
    c.set('auth', { kind: check.kind, portalId: check.portalId, scopes: check.scopes, userId: check.kind === 'oauth' ? check.userId : undefined });
    const key = check.kind === 'oauth' ? `app:${ctx.app.appId}:${check.portalId}` : check.kind === 'app' ? `app:${ctx.app.appId}` : `pat:${check.portalId}`;
    const limit = limiter.take(key);
    c.header('X-HubSpot-RateLimit-Interval-Milliseconds', String(limit.intervalMs));
    c.header('X-HubSpot-RateLimit-Max', String(limit.max));
    c.header('X-HubSpot-RateLimit-Remaining', String(limit.remaining));
    if (!limit.allowed) {
      log(ctx, c, 429);
      return c.json(rateLimitBody(), 429);
    }
    await next();
    log(ctx, c, c.res.status);
  };
}

function log(ctx: SandboxContext, c: Context, status: number): void {
  const auth = c.get('auth') as AuthInfo | undefined;
  pushCapped(ctx.state.apiRequests, {
    at: ctx.now(), method: c.req.method, path: c.req.path, status, portalId: auth?.portalId, tokenKind: auth?.kind,
  });
}
