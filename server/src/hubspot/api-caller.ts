// Runs one logical HubSpot call: token → rate-limit slot → SDK client → timeout → translate → retry.
//
// SDK pitfalls handled here (docs/hubspot-contract.md §7):
// - Retry/limiter decorators live on a PROCESS-WIDE singleton, reset by every `new Client()`. We never pass
//   `limiterOptions`/retries, and create the client and start the request in the same synchronous step, so
//   whatever another Client set cannot apply to our call. (Consequence: nothing else in the process should
//   construct a Client with retries or a limiter; they would be reset by ours anyway.)
// - `setAccessToken` mutates shared state: one Client per attempt, never shared across portals.
// - The generated APIs lose the HTTP status when an error body has no Content-Type or is not JSON; a response
//   middleware records status and headers so such failures are still classified.
import { Client } from '@hubspot/api-client';
import { AttemptTimeout, HubSpotApiError, LOCAL_RATE_LIMIT, lowerCaseKeys, toHubSpotApiError, wasNeverSent, type HttpFailure } from './api-error';
import type { PortalRateLimiter } from './rate-limiter';
import { backoffDelayMs, rateLimitJitterMs, shouldRetry, type RetryPolicy } from './retry-policy';
import { shuttingDownError, WaitInterrupted } from './shutdown';
import { withTimeout } from '../timeout';

export interface GatewayLogger {
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface CallerDeps {
  basePath: string;
  limiter: PortalRateLimiter;
  policy: RetryPolicy;
  timeoutMs: number;
  now: () => number;
  /** Interruptible by `stopSignal` (see shutdown.ts), as the limiter's must be. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger?: GatewayLogger;
  /** Once aborted, no call is sent and waiting calls end (shutdown.ts). */
  stopSignal?: AbortSignal;
  /** Told of every request sent, with HubSpot's status (`timeout` or `network` when none came back): the metrics. */
  onAttempt?: (operation: string, status: string) => void;
}

export interface CallSpec {
  /** For messages and logs, e.g. "getTicket". */
  operation: string;
  /** Budgets this call counts against: the portal's, plus e.g. its search budget. */
  slots: readonly { limiter: PortalRateLimiter; key: string }[];
  idempotent: boolean;
  /** Log field; never a token. */
  portalId?: number;
  token: () => Promise<string>;
  /** See AccessTokenSource.tokenRejected. */
  tokenRejected?: (token: string) => Promise<boolean>;
}

export type SdkRun<T> = (client: Client) => Promise<T>;

export function createApiCaller(deps: CallerDeps) {
  type Attempt<T> = { ok: true; value: T } | { ok: false; error: HubSpotApiError; neverSent: boolean };

  async function attemptOnce<T>(spec: CallSpec, token: string, run: SdkRun<T>): Promise<Attempt<T>> {
    let captured: HttpFailure | undefined;
    const client = new Client({
      accessToken: token,
      basePath: deps.basePath,
      numberOfApiCallRetries: 0,
      middleware: [{
        pre: (ctx: unknown) => ctx,
        post: (ctx: unknown) => {
          const r = ctx as { httpStatusCode?: number; headers?: Record<string, string> };
          if (typeof r.httpStatusCode === 'number') captured = { status: r.httpStatusCode, headers: lowerCaseKeys(r.headers ?? {}), body: undefined };
          return ctx;
        },
      }],
    });
    try {
      // The SDK offers no abort signal (13.5), so a timed-out request keeps running until the socket ends; its late
      // result is dropped. That is why non-idempotent calls are not retried after a timeout (retry-policy.ts).
      const value = await withTimeout(run(client), deps.timeoutMs, () => {
        throw new AttemptTimeout(`timed out after ${deps.timeoutMs} ms`);
      });
      deps.onAttempt?.(spec.operation, String(captured?.status ?? 200));
      return { ok: true, value };
    } catch (raw) {
      const context = { operation: spec.operation, secrets: [token], rateLimitIntervalMs: deps.limiter.intervalMs, now: deps.now() };
      const neverSent = wasNeverSent((raw as { cause?: unknown } | null)?.cause ?? raw);
      const error = toHubSpotApiError(raw, context, captured);
      if (!neverSent) deps.onAttempt?.(spec.operation, error.status > 0 ? String(error.status) : raw instanceof AttemptTimeout ? 'timeout' : 'network');
      return { ok: false, error, neverSent };
    }
  }

  async function call<T>(spec: CallSpec, run: SdkRun<T>): Promise<T> {
    try {
      return await callWithRetries(spec, run);
    } catch (err) {
      if (err instanceof WaitInterrupted) throw shuttingDownError(spec.operation);
      throw err;
    }
  }

  async function callWithRetries<T>(spec: CallSpec, run: SdkRun<T>): Promise<T> {
    let renewedToken = false;
    for (let attempt = 1; ; attempt += 1) {
      if (deps.stopSignal?.aborted) throw shuttingDownError(spec.operation);
      // Token first, slot second, so that a slot is taken right before its request leaves: slots granted and then
      // held during a token refresh would reach HubSpot bunched, more of them in its window than the budget allows.
      // A slot wait (at most maxRateLimitWaitMs, seconds) cannot outlast the token's refresh margin (minutes).
      const token = await spec.token();
      await acquireAll(spec);
      const result = await attemptOnce(spec, token, run);
      if (result.ok) return result.value;
      const { error, neverSent } = result;
      // HubSpot refresh is driven by expires_in (a 401 "is not a valid indicator", docs/hubspot-contract.md §1.2), but a
      // token revoked or expired early would fail every call until its stated expiry: renew it once and retry.
      // A 401 means HubSpot did not act, so even a create is safe to send again.
      if (error.kind === 'unauthorized' && !renewedToken && (await spec.tokenRejected?.(token))) {
        renewedToken = true;
        attempt -= 1;
        continue;
      }
      if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) {
        for (const slot of spec.slots) slot.limiter.pauseUntil(slot.key, deps.now() + error.retryAfterMs);
      }
      if (!shouldRetry({ error, attempt, policy: deps.policy, idempotent: spec.idempotent, neverSent })) throw error;
      const delayMs = error.kind === 'rate_limited' ? rateLimitJitterMs(deps.policy, deps.random) : backoffDelayMs(attempt, deps.policy, deps.random);
      deps.logger?.warn(
        { operation: spec.operation, portalId: spec.portalId, attempt, kind: error.kind, status: error.status, correlationId: error.correlationId, retryAfterMs: error.retryAfterMs, delayMs },
        'HubSpot call failed; retrying',
      );
      await deps.sleep(delayMs);
    }
  }

  async function acquireAll(spec: CallSpec): Promise<void> {
    for (const { limiter, key } of spec.slots) {
      const slot = await limiter.acquire(key, deps.policy.maxRateLimitWaitMs);
      if (!slot.granted) {
        // Not sent at all: waiting longer than the caller's budget is pointless, so fail fast with the wait.
        throw new HubSpotApiError({
          kind: 'rate_limited', status: 0, category: LOCAL_RATE_LIMIT, retryAfterMs: slot.retryAfterMs,
          message: `HubSpot ${spec.operation} not sent: portal request budget exhausted for ${slot.retryAfterMs} ms`,
        });
      }
    }
  }

  return { call };
}

export type ApiCaller = ReturnType<typeof createApiCaller>;
