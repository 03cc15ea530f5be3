import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createFixedClock } from '@opencx/server';
import { addAdmin } from '@opencx/server/admin/provision';
import { RECONNECT_REASON } from '@opencx/server/connect/token-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { startStack, type Stack } from '../support/stack';
import { AdminBrowser, hasTestId, testIdAttribute, testIdText } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, signInWithLink } from './support/connect-flow';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const JANE_OWNER_ID = '52550153';
const MINUTE = 60_000;

/** A stack whose server clock the test moves: stored tokens then look old while the sandbox still knows them. */
async function connectedStack(env: Record<string, string> = {}) {
  const clock = createFixedClock(Date.now());
  stack = await startStack({ start: { clock }, env });
  const connected = await connectPortalOverOAuth(stack, { portalId: DEMO_PORTAL });
  return { stack, clock, ...connected };
}

/** Access tokens the sandbox has issued for the portal: one per install, plus one per refresh. */
const issued = (s: Stack) => Object.values(s.sandbox.state.accessTokens).filter((t) => t.portalId === DEMO_PORTAL).length;

describe('access tokens are refreshed ahead of expiry, once', () => {
  it('leaves a token with more than 5 minutes left alone', async () => {
    const { stack: s, clock, accessToken } = await connectedStack();
    clock.advance(24 * MINUTE); // 6 minutes left
    expect(await s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(accessToken);
    expect(issued(s)).toBe(1);
  });

  it('100 concurrent calls holding an expiring token cause exactly one refresh, and all of them succeed', async () => {
    const { stack: s, clock, accessToken } = await connectedStack();
    clock.advance(26 * MINUTE); // 4 minutes left: due
    const owners = await Promise.all(Array.from({ length: 100 }, () => s.server.deps.hubspot.getOwner(DEMO_PORTAL, JANE_OWNER_ID)));
    expect(owners.every((o) => o.email === 'jane.agent@example.com')).toBe(true);
    expect(issued(s)).toBe(2);
    const stored = await s.server.deps.store.connections.getTokens(DEMO_PORTAL);
    expect(stored?.oauth?.accessToken).not.toBe(accessToken);
    expect(stored?.oauth?.expiresAt).toBe(clock.now() + 1800 * 1000);
    // The new token is good for 30 minutes: the next calls do not refresh again.
    clock.advance(20 * MINUTE);
    await s.server.deps.tokens.accessTokenFor(DEMO_PORTAL);
    expect(issued(s)).toBe(2);
  });

  it('with two server processes on the same database, still exactly one refresh (the database lease)', async () => {
    const { stack: s, clock, accessToken } = await connectedStack();
    clock.advance(31 * MINUTE); // expired
    // A slow token endpoint, so that both processes surely want to refresh at the same time.
    s.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03/token', delayMs: 400 });
    const config = s.server.deps.config;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/refresh-burst.ts', import.meta.url))], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        DATABASE_PATH: config.databasePath,
        TOKEN_ENCRYPTION_KEY: config.tokenEncryptionKey!.toString('base64'),
        HUBSPOT_CLIENT_ID: config.hubspot!.clientId,
        HUBSPOT_CLIENT_SECRET: config.hubspot!.clientSecret,
        HUBSPOT_APP_ID: String(config.hubspot!.appId),
        HUBSPOT_API_BASE_URL: config.hubspotApiBaseUrl,
        LOG_LEVEL: 'silent',
        BURST_PORTAL_ID: String(DEMO_PORTAL),
        BURST_COUNT: '50',
        BURST_NOW_MS: String(clock.now()),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('ready');
      child.stdin!.write('go\n');
      const [mine, theirs] = await Promise.all([
        Promise.all(Array.from({ length: 50 }, () => s.server.deps.tokens.accessTokenFor(DEMO_PORTAL))),
        lines.next().then((line) => (JSON.parse(String(line.value)) as { tokens: string[] }).tokens),
      ]);
      const all = new Set([...mine, ...theirs]);
      expect(all.size).toBe(1);
      expect([...all][0]).not.toBe(accessToken);
      expect(issued(s)).toBe(2);
    } finally {
      child.kill();
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 30_000);

  it('takes over the lease of a process that died while refreshing, once the lease has expired', async () => {
    const { stack: s, clock } = await connectedStack();
    clock.advance(31 * MINUTE);
    const store = s.server.deps.store;
    expect(await store.connections.acquireRefreshLease(DEMO_PORTAL, 'proc-that-died', clock.now() + 5_000, clock.now())).toBe(true);
    let settled = false;
    const pending = s.server.deps.tokens.accessTokenFor(DEMO_PORTAL).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false); // waiting for the other process's refresh
    clock.advance(5_001);
    await pending;
    expect(issued(s)).toBe(2);
  });

  it('retries a refresh that fails transiently', async () => {
    const { stack: s, clock, accessToken } = await connectedStack();
    clock.advance(31 * MINUTE);
    s.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03/token', status: 503, count: 2 });
    const token = await s.server.deps.tokens.accessTokenFor(DEMO_PORTAL);
    expect(token).not.toBe(accessToken);
    expect(issued(s)).toBe(2);
  });

  it('keeps using a token that has not expired yet when HubSpot cannot refresh it, and fails once it has', async () => {
    const { stack: s, clock, accessToken } = await connectedStack();
    s.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03/token', status: 503 });
    clock.advance(26 * MINUTE);
    expect(await s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(accessToken);
    clock.advance(5 * MINUTE);
    await expect(s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).rejects.toMatchObject({ code: 'upstream_failed' });
    expect((await s.server.deps.store.connections.findByPortal(DEMO_PORTAL))?.status).toBe('connected');
  });

  it.each([
    ['2026-03', '/oauth/v1'],
    ['v1', '/oauth/2026-03'],
  ])('uses the %s token endpoints when configured so (the other generation is never called)', async (version, unused) => {
    const { stack: s, clock, accessToken } = await connectedStack({ HUBSPOT_OAUTH_API_VERSION: version });
    s.sandbox.control.addFault({ pathPrefix: unused, status: 500 });
    clock.advance(31 * MINUTE);
    expect(await s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).not.toBe(accessToken);
    expect(s.sandbox.state.faults[0]?.hits).toBe(0);
  });
});

describe('a refresh answered invalid_grant', () => {
  it('marks the connection reconnect_required, and the settings page asks the admin to reconnect', async () => {
    const { stack: s, clock, organization } = await connectedStack();
    s.sandbox.control.uninstallApp({ portalId: DEMO_PORTAL });
    clock.advance(31 * MINUTE);
    await expect(s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).rejects.toMatchObject({ code: 'reconnect_required' });
    expect(await s.server.deps.store.connections.findByPortal(DEMO_PORTAL)).toMatchObject({ status: 'reconnect_required', statusReason: RECONNECT_REASON });
    // Later calls fail at once, without asking HubSpot again.
    const faults = s.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03/token', status: 500 });
    await expect(s.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).rejects.toMatchObject({ code: 'reconnect_required' });
    expect(faults.hits).toBe(0);
    s.sandbox.control.clearFaults();

    const admin = await addAdmin(s.server.deps, { organizationId: organization.id, email: 'owner@acme.test' });
    const browser = new AdminBrowser();
    const page = await signInWithLink(s, browser, admin.id);
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('reconnect_required');
    expect(testIdText(page.html, 'integration-status')).toBe('Reconnect required');
    expect(testIdText(page.html, 'reconnect-prompt')).toContain('HubSpot rejected the refresh token');

    const reconnected = await connectThroughConsent(s, { browser, page });
    expect(testIdText(reconnected.html, 'toast')).toBe('HubSpot connected');
    expect(testIdAttribute(reconnected.html, 'integration-card', 'data-status')).toBe('connected');
    expect(hasTestId(reconnected.html, 'reconnect-prompt')).toBe(false);
    expect(await s.server.deps.hubspot.getOwner(DEMO_PORTAL, JANE_OWNER_ID)).toMatchObject({ email: 'jane.agent@example.com' });
  });
});
