import { openDatabase } from '@opencx/server';
import { createOrganizationWithAdmin } from '@opencx/server/admin/provision';
import { HUBSPOT_REQUIRED_SCOPES } from '@opencx/server/connect/scopes';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { AdminBrowser, findForm, hasTestId, testIdAttribute, testIdText } from './support/admin-browser';
import { answerConsent, DEMO_PORTAL, signInNewAdmin, signInWithLink } from './support/connect-flow';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** What HubSpot's marketplace "Install" does: the consent screen with the app's install URL, no state of ours. */
async function installFromMarketplace(s: Stack, browser: AdminBrowser) {
  const query = new URLSearchParams({
    client_id: s.sandbox.appCredentials.clientId,
    redirect_uri: `${s.serverUrl}/oauth/callback`,
    scope: HUBSPOT_REQUIRED_SCOPES.join(' '),
  });
  const consent = await browser.open(`${s.sandboxUrl}/oauth/authorize?${query}`);
  const callback = await answerConsent(s, browser, consent, { portalId: DEMO_PORTAL });
  expect(callback.searchParams.has('state')).toBe(false);
  return browser.open(callback.toString());
}

describe('an install started from the HubSpot marketplace', () => {
  it('is held as pending, connects nothing, and is attached once an admin signs in in that browser', async () => {
    const s = (stack = await startStack());
    const { admin, organization } = await createOrganizationWithAdmin(s.server.deps, { organizationName: 'Acme', adminEmail: 'owner@acme.test' });
    const browser = new AdminBrowser();

    const pending = await installFromMarketplace(s, browser);
    expect(pending.status).toBe(200);
    expect(testIdAttribute(pending.html, 'pending-install-page', 'data-portal-id')).toBe(String(DEMO_PORTAL));
    expect(await s.server.deps.store.connections.findByPortal(DEMO_PORTAL)).toBeNull();
    expect(browser.setCookieHeaders.find((h) => h.startsWith('opencx_install_claim='))).toMatch(/HttpOnly/i);

    const settings = await signInWithLink(s, browser, admin.id);
    expect(testIdAttribute(settings.html, 'pending-install', 'data-portal-id')).toBe(String(DEMO_PORTAL));
    expect(testIdAttribute(settings.html, 'integration-card', 'data-status')).toBe('not_connected');

    const attached = await browser.submit(settings, /\/pending\/[^/]+\/attach$/);
    expect(testIdText(attached.html, 'toast')).toBe('HubSpot connected');
    expect(testIdAttribute(attached.html, 'integration-card', 'data-status')).toBe('connected');
    expect(hasTestId(attached.html, 'pending-installs')).toBe(false);
    expect(await s.server.deps.store.connections.findByPortal(DEMO_PORTAL)).toMatchObject({
      organizationId: organization.id,
      authMode: 'oauth',
      connectedBy: { email: 'jane.agent@example.com' },
    });
  });

  it('cannot be seen or attached from another browser', async () => {
    const s = (stack = await startStack());
    const installer = new AdminBrowser();
    await installFromMarketplace(s, installer);

    const other = await signInNewAdmin(s);
    expect(hasTestId(other.page.html, 'pending-installs')).toBe(false);
    // Even knowing the install's id (it is not a secret), a browser without the claim cookie cannot attach it.
    const db = openDatabase(s.server.deps.config.databasePath);
    const { id } = db.prepare('SELECT id FROM pending_installs').get() as { id: string };
    db.close();
    const csrf = findForm(other.page.html, '/oauth/install')!.hidden['_csrf']!;
    const page = await other.browser.open(`${s.serverUrl}/settings/integrations/hubspot/pending/${id}/attach`, { form: { _csrf: csrf } });
    expect(page.status).toBe(404);
    expect(testIdAttribute(page.html, 'error-page', 'data-error-code')).toBe('pending_not_found');
    expect(await s.server.deps.store.connections.findByPortal(DEMO_PORTAL)).toBeNull();
  });

  it('a marketplace callback HubSpot answered with an error holds nothing', async () => {
    const s = (stack = await startStack());
    const browser = new AdminBrowser();
    const page = await browser.open(`${s.serverUrl}/oauth/callback?error=access_denied`);
    expect(page.status).toBe(403);
    expect(testIdAttribute(page.html, 'error-page', 'data-error-code')).toBe('consent_denied');
    const bad = await browser.open(`${s.serverUrl}/oauth/callback?code=nope`);
    expect(bad.status).toBe(400);
    expect(testIdAttribute(bad.html, 'error-page', 'data-error-code')).toBe('bad_code');
    expect(browser.cookie('127.0.0.1', 'opencx_install_claim')).toBeUndefined();
  });
});
