// The one adapter through which the product calls HubSpot's APIs on behalf of a portal. Every call goes
// through the same token → per-portal limit → SDK → timeout → error translation → bounded retry pipeline
// (api-caller.ts); operation modules only say WHAT to call.
import { createHash } from 'node:crypto';
import { createAccountOperations, createAutomationOperations } from './account-operations';
import { createApiCaller, type GatewayLogger } from './api-caller';
import { createConversationsOperations } from './conversations-operations';
import { createCrmOperations } from './crm-operations';
import { createHandoffOperations } from './handoff-operations';
import type { PortalId } from './gateway-types';
import type { PortalCall, TokenCall } from './portal-call';
import { createPortalRateLimiter, realSleep, type PortalRateLimiter, type PortalRateLimiterOptions } from './rate-limiter';
import type { HubSpotBudgetStore } from '../store/hubspot-budget.store';
import { createSharedRateLimiter } from './shared-rate-limiter';
import { INTERACTIVE_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { interruptibleSleep } from './shutdown';

export interface AccessTokenSource {
  /** A currently valid access token for the portal (refreshing as needed). Its errors propagate unchanged. */
  accessTokenFor(portalId: PortalId): Promise<string>;
  /**
   * HubSpot answered 401 to this token before its stated expiry (revoked, or expired early). Returns true when
   * a different token can now be had, so that the call is worth one more attempt.
   */
  tokenRejected?(portalId: PortalId, token: string): Promise<boolean>;
}

export interface HubSpotApiGatewayOptions {
  /** HUBSPOT_API_BASE_URL: origin only, no trailing slash or /crm/v3 (docs/hubspot-contract.md §7.1: SDK paths are absolute). */
  basePath: string;
  tokens: AccessTokenSource;
  /** A shared limiter instance, or options for a new one. Default 110 requests / 10 s per portal. */
  limiter?: PortalRateLimiter | PortalRateLimiterOptions;
  /** CRM search budget per portal. Default 4 / s, under HubSpot's per-token search limit. */
  searchLimiter?: PortalRateLimiter | PortalRateLimiterOptions;
  /**
   * Where several instances keep their shared budgets (PostgreSQL): limiters built from options then take their
   * grants from it instead of from this process's memory.
   */
  sharedBudget?: HubSpotBudgetStore;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: GatewayLogger;
  /**
   * The server's stop signal: once aborted, calls waiting for a rate-limit slot or a retry end at once and no new
   * call is sent, each failing as a transient error of category SHUTTING_DOWN (shutdown.ts).
   */
  stopSignal?: AbortSignal;
  /** Told of every request sent to HubSpot (operation, status): the metrics. */
  onAttempt?: (operation: string, status: string) => void;
}

const isLimiter = (x: unknown): x is PortalRateLimiter => typeof (x as PortalRateLimiter | undefined)?.acquire === 'function';

export function createHubSpotApiGateway(options: HubSpotApiGatewayOptions): HubSpotApiGateway {
  const now = options.now ?? Date.now;
  const sleep = interruptibleSleep(options.sleep ?? realSleep, options.stopSignal);
  const { sharedBudget, logger } = options;
  const build = (namespace: string, limiterOptions: PortalRateLimiterOptions): PortalRateLimiter =>
    sharedBudget
      ? createSharedRateLimiter(sharedBudget, namespace, { ...limiterOptions, onError: (err) => logger?.warn({ err }, 'could not record a HubSpot rate-limit pause') })
      : createPortalRateLimiter(limiterOptions);
  const limiter = isLimiter(options.limiter) ? options.limiter : build('api', { now, sleep, ...options.limiter });
  // UNVERIFIED: CRM search allows 5 requests/s per token (4/s historically) (docs/hubspot-contract.md §6)
  const searchLimiter = isLimiter(options.searchLimiter)
    ? options.searchLimiter
    : build('search', { maxRequests: 4, intervalMs: 1_000, now, sleep, ...options.searchLimiter });
  return buildGateway({ ...options, sleep }, { ...INTERACTIVE_RETRY_POLICY, ...options.retry }, limiter, searchLimiter, new Map());
}

// Handlers ask for their policy on every request (`withRetryPolicy({ attempts: 1 })`); one gateway per distinct
// policy is built once and shared, instead of a new SDK client pipeline per call.
type GatewayFamily = Map<string, HubSpotApiGateway>;

function buildGateway(
  options: HubSpotApiGatewayOptions,
  policy: RetryPolicy,
  limiter: PortalRateLimiter,
  searchLimiter: PortalRateLimiter,
  family: GatewayFamily,
): HubSpotApiGateway {
  const caller = createApiCaller({
    basePath: options.basePath.replace(/\/+$/, ''),
    limiter,
    policy,
    timeoutMs: options.timeoutMs ?? 10_000,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.stopSignal ? { stopSignal: options.stopSignal } : {}),
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });

  const forPortal: PortalCall = (portalId, operation, opts, run) => {
    const key = `portal:${portalId}`;
    return caller.call({
      operation,
      portalId,
      idempotent: opts.idempotent,
      slots: opts.search ? [{ limiter, key }, { limiter: searchLimiter, key }] : [{ limiter, key }],
      token: () => options.tokens.accessTokenFor(portalId),
      tokenRejected: (token: string) => options.tokens.tokenRejected?.(portalId, token) ?? Promise.resolve(false),
    }, run);
  };

  // Before we know a token's portal (pasted private app token), its budget is keyed by a hash: the limiter
  // never holds the token itself.
  const withToken: TokenCall = (token, operation, opts, run) => {
    const key = `token:${createHash('sha256').update(token).digest('hex').slice(0, 24)}`;
    return caller.call({ operation, idempotent: opts.idempotent, slots: [{ limiter, key }], token: async () => token }, run);
  };

  return {
    ...createCrmOperations(forPortal),
    ...createHandoffOperations(forPortal),
    ...createConversationsOperations(forPortal),
    ...createAutomationOperations(forPortal),
    ...createAccountOperations(withToken),
    withRetryPolicy: (overrides) => {
      const variant = { ...policy, ...overrides };
      const key = JSON.stringify(variant);
      let gateway = family.get(key);
      if (!gateway) {
        gateway = buildGateway(options, variant, limiter, searchLimiter, family);
        family.set(key, gateway);
      }
      return gateway;
    },
  };
}

export type HubSpotApiGateway = ReturnType<typeof createCrmOperations> &
  ReturnType<typeof createHandoffOperations> &
  ReturnType<typeof createConversationsOperations> &
  ReturnType<typeof createAutomationOperations> &
  ReturnType<typeof createAccountOperations> & {
    /** Same limiters (so the same per-portal budget), different retry policy, e.g. more attempts for jobs. */
    withRetryPolicy(overrides: Partial<RetryPolicy>): HubSpotApiGateway;
  };
