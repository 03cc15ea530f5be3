import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { testIdAttribute, type Page } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin } from './support/connect-flow';
import { seedProductData } from './support/seed-data';
import { snapshotProtectedRows } from './support/snapshots';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('sessions, history, ticket links and signature settings survive every Connect step', () => {
  it('compares every row before and after connect, migrate, reconnect, reconnect-required, rollback and disconnect', async () => {
    const s = (stack = await startStack());
    const admin = await signInNewAdmin(s);
    await seedProductData(s.server.deps.store, { organizationId: admin.organization.id, portalId: DEMO_PORTAL });
    const before = snapshotProtectedRows(s);
    expect(before.chat_sessions).toHaveLength(2);
    expect(before.chat_history).toHaveLength(4);
    expect(before.ticket_links).toHaveLength(2);
    expect(before.signature_settings).toHaveLength(1);

    const mode = (page: Page) => testIdAttribute(page.html, 'auth-mode', 'data-auth-mode');
    const steps: [string, () => Promise<Page>, string | null][] = [
      [
        'connect (legacy Private App)',
        async () => {
          const { token } = s.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
          const defaultUserId = String(Object.values(s.sandbox.state.portals[String(DEMO_PORTAL)]!.users)[0]!.userId);
          return admin.browser.submit(await openSettings(s, admin.browser), '/settings/integrations/hubspot/private-app', { token, defaultUserId });
        },
        'private_app',
      ],
      ['migrate to OAuth', async () => connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }), 'oauth'],
      ['reconnect', async () => connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }), 'oauth'],
      [
        'reconnect after HubSpot revoked the install',
        async () => {
          s.sandbox.control.uninstallApp({ portalId: DEMO_PORTAL });
          await s.server.deps.store.connections.setStatus(DEMO_PORTAL, 'reconnect_required', 'test', Date.now());
          return connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) });
        },
        'oauth',
      ],
      ['roll back', async () => admin.browser.submit(await openSettings(s, admin.browser), '/settings/integrations/hubspot/rollback'), 'private_app'],
      ['migrate again', async () => connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }), 'oauth'],
      ['disconnect', async () => admin.browser.submit(await openSettings(s, admin.browser), '/settings/integrations/hubspot/disconnect'), null],
      ['connect again', async () => connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }), 'oauth'],
    ];
    for (const [name, run, expectedMode] of steps) {
      const page = await run();
      expect(page.status, name).toBe(200);
      expect(mode(page), name).toBe(expectedMode);
      expect(snapshotProtectedRows(s), `rows after: ${name}`).toEqual(before);
    }
  });
});
