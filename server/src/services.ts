import { createAiAgent, type AiAgent } from './ai';
import { createOpenCxAgent, createOpenCxClient, type OpenCxApi } from './ai/opencx-api';
import type { Clock } from './clock';
import type { Config } from './config';
import { createCallbackThrottle, type CallbackThrottle } from './connect/callback-throttle';
import { createOAuthStateKey } from './connect/oauth-state';
import { createJournalClient, type JournalClient } from './hubspot/journal-client';
import { createTokenProvider } from './connect/token-provider';
import {
  createHubSpotApiGateway,
  createHubSpotOAuthClient,
  type AccessTokenSource,
  type HubSpotApiGateway,
  type HubSpotOAuthClient,
  type PortalRateLimiterOptions,
} from './hubspot';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics/metrics';
import type { Store } from './store/store';
import { createOwnerNames, type OwnerNames } from './sync/actors';
import { createInboxWriter, type InboxWriter } from './inbox/inbox-writer';
import { createIncomingMessages, type IncomingMessages } from './sync/incoming-messages';
import { createWorkSignals, type WorkSignals } from './work/signals';

/**
 * What lives as long as the server, in one place: built here once, carried in the dependencies, never kept in
 * module-level maps (a reader sees every piece of per-server state here, and tests get their own).
 */
export interface ServerState {
  /** Wake-ups from the intake, the effects writers and the action route to this server's workers. */
  signals: WorkSignals;
  /** Group commit of concurrent webhook batches. */
  inboxWriter: InboxWriter;
  /** Agent names looked up in HubSpot, for the card and the audit trail. */
  ownerNames: OwnerNames;
  /** Customer messages the intake fetched, for the AI reply that follows. */
  incomingMessages: IncomingMessages;
  /** The OAuth state's signing key, read from the database once. */
  oauthStateKey: () => Promise<Buffer>;
  /** This server's Prometheus registry and instruments (GET /metrics). */
  metrics: Metrics;
}

/**
 * The outside world as the app sees it (HubSpot's API and OAuth, the AI) and the per-server state. Tests may
 * replace any of them.
 */
export interface Services extends ServerState {
  hubspot: HubSpotApiGateway;
  /** Null when no HubSpot app credentials are configured: OAuth routes then answer with a clear error. */
  oauth: HubSpotOAuthClient | null;
  /** The app's Webhooks Journal (installs, uninstalls); null without the app's credentials. */
  journal: JournalClient | null;
  tokens: AccessTokenSource;
  /** Per organization: the OpenCX API when it saved a key, else the embedded FAQ agent (or OPENCX_AI_URL's). */
  ai: AiAgent;
  /** The OpenCX API client; its per-key budget (100 requests a minute) is shared by every caller of this server. */
  opencx: OpenCxApi;
  /** How many state-less OAuth callbacks may start a token exchange (per client and in total). */
  oauthCallbackThrottle: CallbackThrottle;
}

/** `stopSignal`: the server's shutdown (Lifecycle.signal); HubSpot calls stop waiting when it fires. */
export function createServices(deps: {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  stopSignal?: AbortSignal;
  /** The per-portal HubSpot budget; default 110 requests per 10 s. Shared by all instances when the store can. */
  rateLimit?: PortalRateLimiterOptions;
}): Services {
  const { config } = deps;
  const oauth = config.hubspot
    ? createHubSpotOAuthClient({
        baseUrl: config.hubspotApiBaseUrl,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        version: config.hubspotOAuthApiVersion,
        now: () => deps.clock.now(),
      })
    : null;
  const journal = config.hubspot
    ? createJournalClient({
        baseUrl: config.hubspotApiBaseUrl,
        clientId: config.hubspot.clientId,
        clientSecret: config.hubspot.clientSecret,
        oauthVersion: config.hubspotOAuthApiVersion,
        now: () => deps.clock.now(),
      })
    : null;
  const metrics = createMetrics(deps);
  const tokens = createTokenProvider({ ...deps, oauth, onRefresh: (outcome) => metrics.tokenRefreshes.inc({ outcome }) });
  const hubspot = createHubSpotApiGateway({
    basePath: config.hubspotApiBaseUrl,
    tokens,
    now: () => deps.clock.now(),
    logger: deps.logger,
    ...(deps.rateLimit ? { limiter: deps.rateLimit } : {}),
    ...(deps.store.hubspotBudget ? { sharedBudget: deps.store.hubspotBudget } : {}),
    ...(deps.stopSignal ? { stopSignal: deps.stopSignal } : {}),
    onAttempt: (operation, status) => metrics.hubspotCalls.inc({ operation, status }),
  });
  // Wall time, not deps.clock: OpenCX's budget runs on real minutes, and a test's fixed clock would never free a slot.
  const opencx = createOpenCxClient({ baseUrl: config.opencxApiBaseUrl });
  return {
    metrics,
    hubspot,
    oauth,
    journal,
    tokens,
    ai: createOpenCxAgent({ ...deps, opencx, fallback: createAiAgent({ aiUrl: config.opencxAiUrl }) }),
    opencx,
    oauthCallbackThrottle: createCallbackThrottle(config.oauthCallbackLimits, () => deps.clock.now()),
    signals: createWorkSignals(),
    inboxWriter: createInboxWriter(deps),
    ownerNames: createOwnerNames(),
    incomingMessages: createIncomingMessages(),
    oauthStateKey: createOAuthStateKey(deps),
  };
}
