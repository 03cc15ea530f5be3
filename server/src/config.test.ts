import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, parseEncryptionKey, redactDatabaseUrl } from './config';

const HEX_KEY = 'ab'.repeat(32);
const BASE64_KEY = Buffer.alloc(32, 7).toString('base64');
const HUBSPOT = { HUBSPOT_CLIENT_ID: 'client-id', HUBSPOT_CLIENT_SECRET: 'client-secret', HUBSPOT_APP_ID: '123456' };

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies every default to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://127.0.0.1:3000',
      publicBaseUrlIsDefault: true,
      databasePath: resolve('data/opencx.sqlite'),
      databaseUrl: null,
      dataDir: resolve('data'),
      hubspot: null,
      hubspotApiBaseUrl: 'https://api.hubapi.com',
      hubspotAuthorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      hubspotOAuthApiVersion: '2026-03',
      tokenEncryptionKey: null,
      opencxAiUrl: null,
      opencxApiBaseUrl: 'https://api.open.cx',
      logLevel: 'info',
      http: { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 256, maxConnectionsPerClient: 32 },
      oauthCallbackLimits: { perMinute: 60, perMinutePerClient: 10 },
      metricsToken: null,
      retentionDays: 14,
      journalPollMs: 60_000,
      production: false,
    });
  });

  it('is the production configuration only when NODE_ENV is exactly production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_BASE_URL: 'https://opencx.example.com',
      DATABASE_PATH: '/var/lib/opencx/db.sqlite',
      DATA_DIR: '/etc/opencx',
      ...HUBSPOT,
      HUBSPOT_API_BASE_URL: 'http://127.0.0.1:4010/',
      HUBSPOT_AUTHORIZE_URL: 'http://127.0.0.1:4010/oauth/authorize',
      HUBSPOT_OAUTH_API_VERSION: 'v1',
      TOKEN_ENCRYPTION_KEY: HEX_KEY,
      OPENCX_AI_URL: 'https://ai.example.com/',
      OPENCX_API_BASE_URL: 'http://127.0.0.1:4020/',
      LOG_LEVEL: 'debug',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '3000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '4000',
      HTTP_MAX_CONNECTIONS: '100',
      HTTP_MAX_CONNECTIONS_PER_CLIENT: '5',
      OAUTH_CALLBACKS_PER_MINUTE: '30',
      OAUTH_CALLBACKS_PER_MINUTE_PER_CLIENT: '3',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicBaseUrl: 'https://opencx.example.com',
      publicBaseUrlIsDefault: false,
      databasePath: '/var/lib/opencx/db.sqlite',
      databaseUrl: null,
      dataDir: '/etc/opencx',
      hubspot: { clientId: 'client-id', clientSecret: 'client-secret', appId: 123456 },
      hubspotApiBaseUrl: 'http://127.0.0.1:4010',
      hubspotOAuthApiVersion: 'v1',
      opencxAiUrl: 'https://ai.example.com',
      opencxApiBaseUrl: 'http://127.0.0.1:4020',
      logLevel: 'debug',
      http: { headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, keepAliveTimeoutMs: 4_000, maxConnections: 100, maxConnectionsPerClient: 5 },
      oauthCallbackLimits: { perMinute: 30, perMinutePerClient: 3 },
    });
    expect(config.tokenEncryptionKey).toEqual(Buffer.from(HEX_KEY, 'hex'));
  });

  it('follows PORT in the default public URL, and treats blank values as unset', () => {
    const config = loadConfig({ PORT: '4000', PUBLIC_BASE_URL: '  ', LOG_LEVEL: '' });
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:4000');
    expect(config.logLevel).toBe('info');
  });

  it('names every bad variable in one error', () => {
    const env = {
      PORT: 'eighty',
      PUBLIC_BASE_URL: 'https://opencx.example.com/',
      HUBSPOT_API_BASE_URL: 'ftp://hubspot',
      HUBSPOT_AUTHORIZE_URL: 'not a url',
      HUBSPOT_OAUTH_API_VERSION: '2025-01',
      TOKEN_ENCRYPTION_KEY: 'too-short',
      OPENCX_AI_URL: '/relative',
      OPENCX_API_BASE_URL: 'api.open.cx',
      LOG_LEVEL: 'verbose',
    };
    const problems = problemsOf(env);
    expect(problems.map((p) => p.variable).sort()).toEqual(Object.keys(env).sort());
    let message = '';
    try {
      loadConfig(env);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration \(9 problems\):/);
    for (const name of Object.keys(env)) expect(message).toContain(`${name}:`);
    // Values are never echoed: some variables are secrets.
    expect(message).not.toContain('too-short');
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PUBLIC_BASE_URL', 'opencx.example.com'],
    ['PUBLIC_BASE_URL', 'https://opencx.example.com/?x=1'],
    ['HUBSPOT_APP_ID', 'abc'],
    ['HTTP_REQUEST_TIMEOUT_MS', '0'],
    ['HTTP_MAX_CONNECTIONS_PER_CLIENT', '1.5'],
    ['OAUTH_CALLBACKS_PER_MINUTE', '-3'],
  ])('rejects %s=%s', (variable, value) => {
    const env = variable === 'HUBSPOT_APP_ID' ? { ...HUBSPOT, [variable]: value } : { [variable]: value };
    expect(problemsOf(env).map((p) => p.variable)).toEqual([variable]);
  });

  it('refuses a headers timeout longer than the whole request may take', () => {
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }).map((p) => p.variable)).toEqual(['HTTP_HEADERS_TIMEOUT_MS']);
  });

  it('accepts the HubSpot credentials all together or not at all', () => {
    expect(loadConfig(HUBSPOT).hubspot).toEqual({ clientId: 'client-id', clientSecret: 'client-secret', appId: 123456 });
    expect(loadConfig({}).hubspot).toBeNull();
  });

  it('names each missing HubSpot credential when only some are set', () => {
    const problems = problemsOf({ HUBSPOT_CLIENT_ID: 'client-id' });
    expect(problems.map((p) => p.variable)).toEqual(['HUBSPOT_CLIENT_SECRET', 'HUBSPOT_APP_ID']);
    expect(problems[0]?.message).toContain('set all three or none');
  });
});

it("documents every variable in the README's configuration table", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Architecture'));
  expect(CONFIG_VARIABLES.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
});

describe('DATABASE_URL', () => {
  const URL_WITH_SECRET = 'postgres://opencx:s3cret-pw@db.internal:5432/opencx';

  it('selects PostgreSQL, and only with the encryption key every instance shares', () => {
    expect(loadConfig({ DATABASE_URL: URL_WITH_SECRET, TOKEN_ENCRYPTION_KEY: HEX_KEY }).databaseUrl).toBe(URL_WITH_SECRET);
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(problemsOf({ DATABASE_URL: URL_WITH_SECRET })).toEqual([
      { variable: 'TOKEN_ENCRYPTION_KEY', message: 'must be set when DATABASE_URL is (every instance needs the same key)' },
    ]);
  });

  it('refuses anything but a PostgreSQL URL naming a database, without echoing it', () => {
    for (const bad of ['mysql://u:p@h/db', 'postgres://u:s3cret-pw@h', 'not a url']) {
      const problems = problemsOf({ DATABASE_URL: bad, TOKEN_ENCRYPTION_KEY: HEX_KEY });
      expect(problems.map((p) => p.variable)).toEqual(['DATABASE_URL']);
      expect(JSON.stringify(problems)).not.toContain('s3cret');
    }
  });

  it('is logged without its password', () => {
    expect(redactDatabaseUrl(URL_WITH_SECRET)).toBe('postgres://opencx:***@db.internal:5432/opencx');
    expect(redactDatabaseUrl('postgres://db.internal/opencx')).toBe('postgres://db.internal/opencx');
  });
});

describe('parseEncryptionKey', () => {
  it.each([
    ['64 hex characters', HEX_KEY, true],
    ['base64 of 32 bytes', BASE64_KEY, true],
    ['base64url of 32 bytes', Buffer.alloc(32, 251).toString('base64url'), true],
    ['base64 of 31 bytes', Buffer.alloc(31).toString('base64'), false],
    ['63 hex characters', HEX_KEY.slice(1), false],
    ['a passphrase', 'correct horse battery staple correct horse b', false],
  ])('%s → %s', (_label, text, valid) => {
    const key = parseEncryptionKey(text);
    expect(key === null ? false : key.length === 32).toBe(valid);
  });
});
