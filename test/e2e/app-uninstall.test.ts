import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { testIdText } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin } from './support/connect-flow';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const POLL_SECONDS = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an uninstall in HubSpot, read from the Webhooks Journal', () => {
  it('disconnects the connection within one poll, and the settings page says why', async () => {
    stack = await startStack({ env: { HUBSPOT_JOURNAL_POLL_SECONDS: String(POLL_SECONDS) } });
    const signedIn = await signInNewAdmin(stack);
    await connectThroughConsent(stack, signedIn);
    expect((await stack.server.deps.store.connections.findByPortal(DEMO_PORTAL))?.status).toBe('connected');
    // The install is in the journal too, and changes nothing.
    expect(stack.sandbox.state.journal.map((e) => e.action)).toEqual(['APP_INSTALL']);
    await sleep(POLL_SECONDS * 1000 + 300);
    expect((await stack.server.deps.store.connections.findByPortal(DEMO_PORTAL))?.status).toBe('connected');

    stack.sandbox.control.uninstallApp({ portalId: DEMO_PORTAL });
    // One poll interval, plus the time of the read itself.
    await sleep(POLL_SECONDS * 1000 + 500);

    const connection = await stack.server.deps.store.connections.findByPortal(DEMO_PORTAL);
    expect(connection).toMatchObject({ status: 'disconnected', statusReason: 'the app was uninstalled in HubSpot' });
    expect(await stack.server.deps.store.connections.getTokens(DEMO_PORTAL)).toMatchObject({ oauth: null });
    const page = await openSettings(stack, signedIn.browser);
    expect(testIdText(page.html, 'disconnected-reason')).toBe('Disconnected: the app was uninstalled in HubSpot');
    expect(page.html).toContain('data-kind="app_uninstalled"');
    // The journal was read with the app's own token (client credentials), never a portal's.
    const reads = stack.sandbox.state.apiRequests.filter((r) => r.path.startsWith('/webhooks-journal/'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.tokenKind === 'app' && r.status === 200)).toBe(true);
    // How far the journal was read is kept in the database, so another instance or a restart goes on from there.
    expect(await stack.server.deps.store.appSecrets.getValue('hubspot.journal.offset')).toBe(stack.sandbox.state.journal.at(-1)!.offset);
  });

  it('an uninstall older than a reconnect leaves the new connection alone', async () => {
    stack = await startStack({ env: { HUBSPOT_JOURNAL_POLL_SECONDS: '3600' } });
    const signedIn = await signInNewAdmin(stack);
    await connectThroughConsent(stack, signedIn);
    stack.sandbox.control.uninstallApp({ portalId: DEMO_PORTAL });
    await sleep(20);
    await connectThroughConsent(stack, { browser: signedIn.browser, page: await openSettings(stack, signedIn.browser) });
    const { applyLifecycleEvent } = await import('@opencx/server/connect/app-lifecycle');
    const deps = stack.server.deps;
    const old = stack.sandbox.state.journal.find((e) => e.action === 'APP_UNINSTALL')!;
    expect(await applyLifecycleEvent(deps, { portalId: DEMO_PORTAL, action: 'APP_UNINSTALL', occurredAt: old.occurredAt }, Date.now())).toBe(false);
    expect((await deps.store.connections.findByPortal(DEMO_PORTAL))?.status).toBe('connected');
  });
});
