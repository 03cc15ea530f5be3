import { createAiAgent, type AiAgent } from './ai';
import { createOpenCxAgent, createOpenCxClient, type OpenCxApi } from './ai/opencx-api';
import type { Clock } from './clock';
import type { Config } from './config';
import { createCallbackThrottle, type CallbackThrottle } from './connect/callback-throttle';
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
import type { Store } from './store/store';

/** The outside world as the app sees it: HubSpot (API and OAuth) and the AI. Tests may replace any of them. */
export interface Services {
  hubspot: HubSpotApiGateway;
  /** Null when no HubSpot app credentials are configured: OAuth routes then answer with a clear error. */
  oauth: HubSpotOAuthClient | null;
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
  const tokens = createTokenProvider({ ...deps, oauth });
  const hubspot = createHubSpotApiGateway({
    basePath: config.hubspotApiBaseUrl,
    tokens,
    now: () => deps.clock.now(),
    logger: deps.logger,
    ...(deps.rateLimit ? { limiter: deps.rateLimit } : {}),
    ...(deps.store.hubspotBudget ? { sharedBudget: deps.store.hubspotBudget } : {}),
    ...(deps.stopSignal ? { stopSignal: deps.stopSignal } : {}),
  });
  // Wall time, not deps.clock: OpenCX's budget runs on real minutes, and a test's fixed clock would never free a slot.
  const opencx = createOpenCxClient({ baseUrl: config.opencxApiBaseUrl });
  return {
    hubspot,
    oauth,
    tokens,
    ai: createOpenCxAgent({ ...deps, opencx, fallback: createAiAgent({ aiUrl: config.opencxAiUrl }) }),
    opencx,
    oauthCallbackThrottle: createCallbackThrottle(config.oauthCallbackLimits, () => deps.clock.now()),
  };
}
