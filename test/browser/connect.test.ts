// The admin's Connect journey (steps 1 to 5 of the migration guide) in a real browser: Debian's chromium driven by
// playwright-core, against the server and the HubSpot sandbox. Screenshots of each step go to test-artifacts/.
import { createOrganizationWithAdmin, issueSignInLink } from '@opencx/server/admin/provision';
import { HUBSPOT_REQUIRED_SCOPES } from '@opencx/server/connect/scopes';
import { describe, expect, it } from 'vitest';
import { artifactsDir, inPage, skipBrowserTests, useBrowserAndStack } from '../support/chromium';

const ARTIFACTS = artifactsDir('connect');
const DEMO_PORTAL = 62515;

describe.skipIf(skipBrowserTests)('Connect HubSpot in a real browser', () => {
  const setup = useBrowserAndStack();

  it('moves an organization from its Private App token to the OAuth app, step by step', async () => {
    const s = setup.stack;
    const deps = s.server.deps;
    // An organization still on a legacy Private App token.
    const { organization, admin } = await createOrganizationWithAdmin(deps, { organizationName: 'Acme Support', adminEmail: 'owner@acme.test' });
    const { token } = s.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
    await deps.store.connections.savePrivateAppConnection(
      { organizationId: organization.id, portalId: DEMO_PORTAL, connectedBy: { hubspotUserId: null, email: admin.email }, scopes: [], hubDomain: null, token },
      deps.clock.now(),
    );
    const link = await issueSignInLink(deps, admin.id);

    await inPage(setup.browser, { artifacts: ARTIFACTS, width: 1200, height: 900 }, async (page) => {
      page.setDefaultTimeout(10_000);
      // Every page of ours must carry the Content-Security-Policy, and the journey must not trip it: chromium reports
      // each refused style, script or form target on the console.
      const cspViolations: string[] = [];
      const ourPagesWithoutCsp: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      page.on('response', (response) => {
        const ours = response.url().startsWith(s.serverUrl) && response.request().resourceType() === 'document';
        if (ours && !response.headers()['content-security-policy']?.includes("default-src 'none'")) ourPagesWithoutCsp.push(response.url());
      });
      // Sign in with the one-time link.
      await page.goto(link.url);
      await page.getByTestId('sign-in-button').click();

      // 1. Settings → Integrations → HubSpot: the card shows Connected, on the legacy Private App.
      await page.waitForURL(`${s.serverUrl}/settings/integrations/hubspot`);
      const card = page.getByTestId('integration-card');
      await expect.poll(() => card.getAttribute('data-status')).toBe('connected');
      expect(await page.getByTestId('auth-mode').getAttribute('data-auth-mode')).toBe('private_app');
      expect(await page.getByTestId('connect-modal').isVisible()).toBe(false);
      // The inline sheet applies: the policy allows it by its hash.
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 246, 249)');
      await page.screenshot({ path: `${ARTIFACTS}1-settings.png`, fullPage: true });

      // 2. The modal offers both options, with the Action recommended banner and its four reasons.
      await page.getByTestId('open-connect-modal').click();
      await page.getByTestId('connect-modal').waitFor({ state: 'visible' });
      expect(await page.getByTestId('option-oauth').isVisible()).toBe(true);
      expect(await page.getByTestId('option-private-app').isVisible()).toBe(true);
      const banner = page.getByTestId('migration-banner');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.textContent()).toContain('Action recommended');
      expect(await page.getByTestId('migration-reason').count()).toBe(4);
      await page.screenshot({ path: `${ARTIFACTS}2-modal.png`, fullPage: true });

      // 3. Connect with HubSpot → HubSpot's consent screen, with the app's scopes.
      await page.getByTestId('connect-button').click();
      await page.waitForURL((url) => url.toString().startsWith(`${s.sandboxUrl}/oauth/authorize`));
      expect(await page.locator('#consent-app-name').textContent()).toBeTruthy();
      expect(await page.locator('.consent-scope').count()).toBe(HUBSPOT_REQUIRED_SCOPES.length);
      await page.locator('#consent-portal').selectOption(String(DEMO_PORTAL));
      await page.screenshot({ path: `${ARTIFACTS}3-consent.png`, fullPage: true });
      await page.locator('#consent-approve').click();

      // 4. Back in OpenCX: the toast and the Connected card, now on OAuth.
      await page.waitForURL(`${s.serverUrl}/settings/integrations/hubspot`);
      expect(await page.getByTestId('toast').textContent()).toContain('HubSpot connected');
      await expect.poll(() => card.getAttribute('data-status')).toBe('connected');
      expect(await page.getByTestId('auth-mode').getAttribute('data-auth-mode')).toBe('oauth');
      expect(await page.getByTestId('portal-id').textContent()).toBe(String(DEMO_PORTAL));

      // 5. The admin may now delete the old Private App in HubSpot.
      expect(await page.getByTestId('delete-private-app-note').textContent()).toContain('You may now delete the old OpenCX Private App');
      await page.screenshot({ path: `${ARTIFACTS}4-connected.png`, fullPage: true });
      expect(await deps.store.connections.findByPortal(DEMO_PORTAL)).toMatchObject({ organizationId: organization.id, authMode: 'oauth', status: 'connected' });
      expect(cspViolations).toEqual([]);
      expect(ourPagesWithoutCsp).toEqual([]);
    });
  }, 60_000);
});
