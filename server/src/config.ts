import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The server's configuration, parsed once at start. This is the only file that reads `process.env`
 * (config-env.test.ts enforces it), so every setting is documented here and validated in one place.
 *
 * | Variable                  | Default                                   | Meaning                                                        |
 * |---------------------------|-------------------------------------------|----------------------------------------------------------------|
 * | PORT                      | 3000                                      | TCP port to listen on (0 = any free port)                      |
 * | HOST                      | 127.0.0.1                                 | Interface to bind (0.0.0.0 to accept outside connections)      |
 * | PUBLIC_BASE_URL           | http://127.0.0.1:${PORT}                  | URL HubSpot calls; used to rebuild signed URLs. Absolute http(s), no trailing slash, no query |
 * | DATABASE_PATH             | ./data/opencx.sqlite                      | SQLite file (resolved against the working directory)           |
 * | DATABASE_URL              | (unset: SQLite at DATABASE_PATH)          | postgres://… : run on PostgreSQL (several instances may share it); needs TOKEN_ENCRYPTION_KEY |
 * | DATA_DIR                  | directory of DATABASE_PATH                | Where the generated token-encryption.key lives                 |
 * | HUBSPOT_CLIENT_ID         | (unset)                                   | OAuth app client id     } all three or none: without them      |
 * | HUBSPOT_CLIENT_SECRET     | (unset)                                   | OAuth app client secret } the OAuth install and HubSpot        |
 * | HUBSPOT_APP_ID            | (unset)                                   | HubSpot app id (digits) } signature checks are unavailable     |
 * | HUBSPOT_API_BASE_URL      | https://api.hubapi.com                    | HubSpot API base (tests point it at the sandbox)               |
 * | HUBSPOT_AUTHORIZE_URL     | https://app.hubspot.com/oauth/authorize   | HubSpot consent page                                           |
 * | HUBSPOT_OAUTH_API_VERSION | 2026-03                                   | Token endpoints to use: `2026-03` or the legacy `v1`           |
 * | TOKEN_ENCRYPTION_KEY      | (unset: generated into DATA_DIR)          | 32-byte key, base64 or 64 hex chars, encrypting tokens at rest |
 * | OPENCX_AI_URL             | (unset: embedded FAQ AI)                  | Base URL of the legacy AI service (organizations without a key)|
 * | OPENCX_API_BASE_URL       | https://api.open.cx                       | OpenCX API base, for organizations with an OpenCX API key      |
 * | LOG_LEVEL                 | info                                      | fatal, error, warn, info, debug, trace or silent               |
 * | HTTP_HEADERS_TIMEOUT_MS   | 5000                                      | A client must send its request headers within this             |
 * | HTTP_REQUEST_TIMEOUT_MS   | 10000                                     | ...and its whole request (headers and body) within this        |
 * | HTTP_KEEP_ALIVE_TIMEOUT_MS| 5000                                      | An idle kept-alive connection is closed after this             |
 * | HTTP_MAX_CONNECTIONS      | 256                                       | Open connections in total; more are dropped                    |
 * | HTTP_MAX_CONNECTIONS_PER_CLIENT | 32                                  | Open connections per client address; more get a 429            |
 * | OAUTH_CALLBACKS_PER_MINUTE| 60                                        | Token exchanges started by state-less OAuth callbacks, in all  |
 * | OAUTH_CALLBACKS_PER_MINUTE_PER_CLIENT | 10                            | ...and per client address                                      |
 * | METRICS_TOKEN             | (unset: /metrics answers 404)             | Bearer token Prometheus sends to GET /metrics (16+ characters) |
 * | RETENTION_DAYS            | 14                                        | Finished events, performed effects and action answers are deleted after this |
 * | HUBSPOT_JOURNAL_POLL_SECONDS | 60                                     | How often the Webhooks Journal is read for app installs and uninstalls |
 *
 * Empty values count as unset, so a blank line in a `.env` file falls back to the default.
 */
export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  /** True when PUBLIC_BASE_URL was not given: startServer then follows the port actually bound (PORT=0). */
  publicBaseUrlIsDefault: boolean;
  databasePath: string;
  /** Null: SQLite at databasePath. Holds a password: never log it (see redactDatabaseUrl). */
  databaseUrl: string | null;
  dataDir: string;
  /** Null when the HubSpot app credentials are not configured (all-or-none). */
  hubspot: HubSpotAppCredentials | null;
  hubspotApiBaseUrl: string;
  hubspotAuthorizeUrl: string;
  hubspotOAuthApiVersion: HubSpotOAuthApiVersion;
  /** Null means "use or generate DATA_DIR/token-encryption.key". */
  tokenEncryptionKey: Buffer | null;
  opencxAiUrl: string | null;
  /** The OpenCX API (docs/opencx-api.md §1); used for organizations that saved an OpenCX API key. */
  opencxApiBaseUrl: string;
  logLevel: LogLevel;
  http: HttpLimits;
  oauthCallbackLimits: OAuthCallbackLimits;
  /** Null: GET /metrics is off (404). A secret: never log it. */
  metricsToken: string | null;
  retentionDays: number;
  journalPollMs: number;
  /**
   * NODE_ENV=production: development-time checks that cost CPU on every request are off (today the store's
   * nested-use check, store/transaction-scopes.ts). Behaviour is otherwise the same.
   */
  production: boolean;
}

/** What one HTTP client may hold of the server: slow or stalled requests are cut, connections capped. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxConnectionsPerClient: number;
}

/** Each state-less OAuth callback costs a token exchange at HubSpot with the app's credentials. */
export interface OAuthCallbackLimits {
  perMinute: number;
  perMinutePerClient: number;
}

export interface HubSpotAppCredentials {
  clientId: string;
  clientSecret: string;
  appId: number;
}

export const HUBSPOT_OAUTH_API_VERSIONS = ['2026-03', 'v1'] as const;
export type HubSpotOAuthApiVersion = (typeof HUBSPOT_OAUTH_API_VERSIONS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by loadConfig with every problem at once, so an operator fixes the environment in one pass. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const HUBSPOT_CREDENTIALS = ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', 'HUBSPOT_APP_ID'] as const;

const KEY_FORMAT =
  'must be 32 bytes given as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`';

const optionalText = z.string().trim().optional();

const positiveInt = (defaultValue: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: 'must be a positive integer' })
    .transform(Number)
    .refine((n) => n >= 1 && Number.isSafeInteger(n), { error: 'must be a positive integer' })
    .default(defaultValue);

const httpUrl = (what: string) =>
  z.string().trim().refine(isHttpUrl, { error: `must be an absolute http(s) URL (${what})` });

// Messages never echo the value: some of these variables are secrets.
const envSchema = z.object({
  PORT: z
    .string()
    .regex(/^\d+$/, { error: 'must be an integer from 0 to 65535' })
    .transform(Number)
    .refine((n) => n <= 65535, { error: 'must be an integer from 0 to 65535' })
    .default(3000),
  HOST: z.string().trim().default('127.0.0.1'),
  PUBLIC_BASE_URL: httpUrl('e.g. https://opencx.example.com')
    .refine((s) => !s.endsWith('/'), { error: 'must not end with a slash' })
    .refine((s) => !/[?#]/.test(s), { error: 'must not contain a query or fragment' })
    .optional(),
  DATABASE_PATH: z.string().default('./data/opencx.sqlite'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine(isPostgresUrl, { error: 'must be a PostgreSQL URL: postgres://user:password@host:5432/database' })
    .optional(),
  DATA_DIR: optionalText,
  HUBSPOT_CLIENT_ID: optionalText,
  HUBSPOT_CLIENT_SECRET: optionalText,
  HUBSPOT_APP_ID: z.string().trim().regex(/^\d+$/, { error: 'must be the numeric HubSpot app id' }).transform(Number).optional(),
  HUBSPOT_API_BASE_URL: httpUrl('HubSpot API base').transform(stripTrailingSlash).default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: httpUrl('HubSpot consent page').default('https://app.hubspot.com/oauth/authorize'),
  HUBSPOT_OAUTH_API_VERSION: z
    .enum(HUBSPOT_OAUTH_API_VERSIONS, { error: `must be one of ${HUBSPOT_OAUTH_API_VERSIONS.join(', ')}` })
    .default('2026-03'),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .trim()
    .transform((text, ctx) => {
      const key = parseEncryptionKey(text);
      if (key) return key;
      ctx.addIssue({ code: 'custom', message: KEY_FORMAT });
      return z.NEVER;
    })
    .optional(),
  OPENCX_AI_URL: httpUrl('OpenCX AI service').transform(stripTrailingSlash).optional(),
  OPENCX_API_BASE_URL: httpUrl('OpenCX API base').transform(stripTrailingSlash).default('https://api.open.cx'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  // Seconds, not Node's minutes: HubSpot sends a few kB at once, so anything slower is a stalled or hostile client
  // holding memory (a body is buffered until it can be signature-checked).
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(5_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  HTTP_MAX_CONNECTIONS: positiveInt(256),
  HTTP_MAX_CONNECTIONS_PER_CLIENT: positiveInt(32),
  OAUTH_CALLBACKS_PER_MINUTE: positiveInt(60),
  OAUTH_CALLBACKS_PER_MINUTE_PER_CLIENT: positiveInt(10),
  METRICS_TOKEN: z.string().trim().min(16, { error: 'must be at least 16 characters (generate one with `openssl rand -hex 24`)' }).optional(),
  RETENTION_DAYS: positiveInt(14),
  HUBSPOT_JOURNAL_POLL_SECONDS: positiveInt(60),
  NODE_ENV: optionalText,
});

/** Every variable loadConfig reads (README's configuration table documents each; config.test.ts checks). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }));
  problems.push(...checkAllOrNone(env));
  if (parsed.success && parsed.data.HTTP_HEADERS_TIMEOUT_MS > parsed.data.HTTP_REQUEST_TIMEOUT_MS) {
    // Node refuses to start a server whose headers may take longer than the whole request.
    problems.push({ variable: 'HTTP_HEADERS_TIMEOUT_MS', message: 'must not be greater than HTTP_REQUEST_TIMEOUT_MS' });
  }
  if (parsed.success && parsed.data.DATABASE_URL && !parsed.data.TOKEN_ENCRYPTION_KEY) {
    // A key generated into one instance's DATA_DIR would be missing on the others: they could not read the tokens.
    problems.push({ variable: 'TOKEN_ENCRYPTION_KEY', message: 'must be set when DATABASE_URL is (every instance needs the same key)' });
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const e = parsed.data;
  const databasePath = e.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(e.DATABASE_PATH);
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`,
    publicBaseUrlIsDefault: e.PUBLIC_BASE_URL === undefined,
    databasePath,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: resolve(e.DATA_DIR ?? (databasePath === ':memory:' ? '.' : dirname(databasePath))),
    hubspot:
      e.HUBSPOT_CLIENT_ID && e.HUBSPOT_CLIENT_SECRET && e.HUBSPOT_APP_ID !== undefined
        ? { clientId: e.HUBSPOT_CLIENT_ID, clientSecret: e.HUBSPOT_CLIENT_SECRET, appId: e.HUBSPOT_APP_ID }
        : null,
    hubspotApiBaseUrl: e.HUBSPOT_API_BASE_URL,
    hubspotAuthorizeUrl: e.HUBSPOT_AUTHORIZE_URL,
    hubspotOAuthApiVersion: e.HUBSPOT_OAUTH_API_VERSION,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY ?? null,
    opencxAiUrl: e.OPENCX_AI_URL ?? null,
    opencxApiBaseUrl: e.OPENCX_API_BASE_URL,
    logLevel: e.LOG_LEVEL,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerClient: e.HTTP_MAX_CONNECTIONS_PER_CLIENT,
    },
    oauthCallbackLimits: {
      perMinute: e.OAUTH_CALLBACKS_PER_MINUTE,
      perMinutePerClient: e.OAUTH_CALLBACKS_PER_MINUTE_PER_CLIENT,
    },
    metricsToken: e.METRICS_TOKEN ?? null,
    retentionDays: e.RETENTION_DAYS,
    journalPollMs: e.HUBSPOT_JOURNAL_POLL_SECONDS * 1000,
    production: e.NODE_ENV === 'production',
  };
}

/** Half-configured OAuth fails later in confusing ways (a consent page that can't call back), so refuse it now. */
function checkAllOrNone(env: Record<string, string | undefined>): ConfigProblem[] {
  const missing = HUBSPOT_CREDENTIALS.filter((name) => !env[name]?.trim());
  if (missing.length === 0 || missing.length === HUBSPOT_CREDENTIALS.length) return [];
  return missing.map((variable) => ({
    variable,
    message: `must be set together with ${HUBSPOT_CREDENTIALS.filter((n) => n !== variable).join(' and ')} (set all three or none)`,
  }));
}

/** Accepts exactly 32 bytes as 64 hex characters or as (url-safe) base64; anything else is a typo, not a key. */
export function parseEncryptionKey(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
    const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') out[name] = value;
  return out;
}

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** DATABASE_URL for logs and messages: the password replaced. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
