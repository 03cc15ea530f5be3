// Options of createSandbox and their defaults.
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SandboxOptions {
  /** Repo root containing hubspot-project/; default: two levels above this file. */
  projectDir?: string;
  /** Values for `${VAR}` placeholders in hsmeta files, e.g. { BACKEND_URL: 'http://127.0.0.1:3000' }. */
  profileVariables?: Record<string, string>;
  app?: { appId?: number; clientId?: string; clientSecret?: string; name?: string; redirectUris?: string[] };
  accessTokenTtlSeconds?: number;
  /** Per (app, portal) rolling window; default 110 per 10 000 ms. */
  rateLimit?: { max: number; intervalMs: number };
  webhook?: {
    batchWindowMs?: number;
    maxBatchSize?: number;
    retryDelaysMs?: number[];
    /** Retries after the first attempt (HubSpot: up to 10). */
    maxAttempts?: number;
    timeoutMs?: number;
    maxConcurrentRequests?: number;
  };
  /** Workflow action calls (not in HubSpot's docs; see ASSUMPTIONs in workflow-actions.ts). */
  actions?: { retryDelaysMs?: number[]; maxRetries?: number; timeoutMs?: number };
  /** hubspot.fetch proxy timeout; HubSpot's maximum is 15 s (docs/hubspot-contract.md §4). */
  cardFetchTimeoutMs?: number;
  /** Seed the demo portal 62515 (default true). */
  seedDemoPortal?: boolean;
  now?: () => number;
  log?: (line: string) => void;
  /**
   * A JSON file that keeps the state across restarts (`npm start` puts it beside the server's data). Loaded at
   * creation, rewritten shortly after each change and on close. Unset: in memory only, as in tests.
   */
  stateFile?: string;
}

export interface AppConfig {
  appId: number;
  clientId: string;
  clientSecret: string;
  name: string;
  /** Registered redirect URIs; empty = accept any http(s) redirect_uri (see consent-page.ts). */
  redirectUris: string[];
}

export interface ResolvedConfig {
  projectDir: string;
  profileVariables: Record<string, string>;
  accessTokenTtlSeconds: number;
  rateLimit: { max: number; intervalMs: number };
  webhook: {
    batchWindowMs: number;
    maxBatchSize: number;
    retryDelaysMs: number[];
    maxAttempts: number;
    timeoutMs: number;
    maxConcurrentRequests?: number;
  };
  actions: { retryDelaysMs: number[]; maxRetries: number; timeoutMs: number };
  cardFetchTimeoutMs: number;
  seedDemoPortal: boolean;
}

// ASSUMPTION (UNVERIFIED): HubSpot spreads up to 10 webhook retries "over the next 24 hours, with varying delays";
// these exact delays are invented to match that description. source: docs/hubspot-contract.md §2.5
const HUBSPOT_LIKE_WEBHOOK_DELAYS = [
  60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000, 28_800_000,
];

// ASSUMPTION (UNVERIFIED): workflow action retry delays, count and timeout are not documented for custom actions;
// "5xx retried with backoff for up to 3 days", response timeout assumed 20 s. source: docs/hubspot-contract.md §3.4
const HUBSPOT_LIKE_ACTION_DELAYS = [60_000, 300_000, 1_800_000, 3_600_000, 14_400_000, 43_200_000];

const defaultProjectDir = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function resolveConfig(options: SandboxOptions): ResolvedConfig {
  const webhook = options.webhook ?? {};
  const actions = options.actions ?? {};
  return {
    projectDir: options.projectDir ?? defaultProjectDir(),
    profileVariables: options.profileVariables ?? {},
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1800,
    rateLimit: options.rateLimit ?? { max: 110, intervalMs: 10_000 },
    webhook: {
      batchWindowMs: webhook.batchWindowMs ?? 100,
      maxBatchSize: Math.min(webhook.maxBatchSize ?? 99, 99),
      retryDelaysMs: webhook.retryDelaysMs ?? HUBSPOT_LIKE_WEBHOOK_DELAYS,
      maxAttempts: webhook.maxAttempts ?? 10,
      timeoutMs: webhook.timeoutMs ?? 5000,
      maxConcurrentRequests: webhook.maxConcurrentRequests,
    },
    actions: {
      retryDelaysMs: actions.retryDelaysMs ?? HUBSPOT_LIKE_ACTION_DELAYS,
      maxRetries: actions.maxRetries ?? HUBSPOT_LIKE_ACTION_DELAYS.length,
      timeoutMs: actions.timeoutMs ?? 20_000,
    },
    // hubspot.fetch: 15 s unless the card asks for more, up to 120 s (docs/hubspot-contract.md §4).
    cardFetchTimeoutMs: Math.min(options.cardFetchTimeoutMs ?? 15_000, 120_000),
    seedDemoPortal: options.seedDemoPortal ?? true,
  };
}

export function resolveApp(options: SandboxOptions, fromProject?: { name?: string; redirectUrls?: string[] }): AppConfig {
  const app = options.app ?? {};
  return {
    appId: app.appId ?? 1160452,
    clientId: app.clientId ?? randomUUID(),
    clientSecret: app.clientSecret ?? randomUUID(),
    name: app.name ?? fromProject?.name ?? 'OpenCX for HubSpot (sandbox)',
    // Unresolved `${VAR}` URLs cannot match anything; dropping them falls back to "accept any" (consent-page.ts).
    redirectUris: app.redirectUris ?? (fromProject?.redirectUrls ?? []).filter((u) => !u.includes('${')),
  };
}

/** Delay before retry number `retryIndex` (0-based); the last configured delay repeats. */
export function delayFor(delays: number[], retryIndex: number): number {
  if (delays.length === 0) return 0;
  return delays[Math.min(retryIndex, delays.length - 1)] ?? 0;
}
