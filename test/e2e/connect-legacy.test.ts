import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { findForm, hasTestId, testIdAttribute, testIdText, type Page } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin, type SignedIn } from './support/connect-flow';
import { connectionState } from './support/snapshots';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The legacy form as an admin fills it: the token and the Default User ID (the first user of the demo portal). */
const pasteToken = (admin: SignedIn, page: Page, token: string) =>
  admin.browser.submit(page, '/settings/integrations/hubspot/private-app', { token, defaultUserId: String(demoUserId()) });
const demoUserId = () => Object.values(stack!.sandbox.state.portals[String(DEMO_PORTAL)]!.users)[0]!.userId;
const reasons = (page: Page) => [...page.html.matchAll(/data-testid="migration-reason"/g)].length;

async function onPrivateApp() {
  stack = await startStack();
  const admin = await signInNewAdmin(stack);
  const { token } = stack.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
  const page = await pasteToken(admin, admin.page, token);
  return { admin, token, page };
}

describe('the legacy Private App path', () => {
  it('checks a pasted token with HubSpot before saving it, and shows the webhook URL to paste into HubSpot', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    const { secret } = await stack.server.deps.store.legacyWebhooks.getOrCreate(admin.organization.id, Date.now());
    expect(testIdText(admin.page.html, 'webhook-url')).toBe(`${stack.serverUrl}/hubspot/webhooks/legacy/${secret}`);

    const refused = await pasteToken(admin, admin.page, 'pat-na1-00000000-0000-0000-0000-000000000000');
    expect(refused.status).toBe(400);
    expect(testIdText(refused.html, 'form-error')).toMatch(/HubSpot did not accept this token/);
    expect((await connectionState(stack, admin.organization.id)).connection).toBeNull();

    const { token } = stack.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
    const page = await pasteToken(admin, admin.page, `  ${token}\n`);
    expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('private_app_saved');
    expect(testIdAttribute(page.html, 'auth-mode', 'data-auth-mode')).toBe('private_app');
    expect(testIdText(page.html, 'portal-id')).toBe(String(DEMO_PORTAL)); // learnt from HubSpot, not typed in
    expect(testIdText(page.html, 'connected-by')).toBe(admin.admin.email);
    expect(await stack.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(token);
  });

  it('shows the Action recommended banner with the four reasons while on a Private App, and not on OAuth', async () => {
    const { admin, page } = await onPrivateApp();
    expect(hasTestId(page.html, 'migration-banner')).toBe(true);
    expect(testIdText(page.html, 'migration-banner')).toMatch(/Action recommended/);
    expect(reasons(page)).toBe(4);
    for (const reason of ['legacy path', 'One click instead of token paste', 'Better security', 'Faster agent takeover']) expect(page.html).toContain(reason);
    const migrated = await connectThroughConsent(stack!, { browser: admin.browser, page });
    expect(testIdAttribute(migrated.html, 'auth-mode', 'data-auth-mode')).toBe('oauth');
    expect(hasTestId(migrated.html, 'migration-banner')).toBe(false);
  });

  it('migrates to OAuth keeping the Private App token for rollback, and tells the admin the old Private App may go', async () => {
    const { admin, token, page } = await onPrivateApp();
    expect(hasTestId(page.html, 'delete-private-app-note')).toBe(false);
    const migrated = await connectThroughConsent(stack!, { browser: admin.browser, page });
    expect(testIdText(migrated.html, 'toast')).toBe('HubSpot connected');
    expect(testIdText(migrated.html, 'delete-private-app-note')).toMatch(/You may now delete the old OpenCX Private App in HubSpot/);
    const { tokens } = await connectionState(stack!, admin.organization.id);
    expect(tokens).toMatchObject({ authMode: 'oauth', privateAppToken: token });
    expect(await stack!.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(tokens?.oauth?.accessToken);
  });

  it('rolls back from OAuth to the previous Private App token, revoking the OAuth grant', async () => {
    const { admin, token, page } = await onPrivateApp();
    const migrated = await connectThroughConsent(stack!, { browser: admin.browser, page });
    const oauthRefresh = (await connectionState(stack!, admin.organization.id)).tokens?.oauth?.refreshToken;
    expect(findForm(migrated.html, '/settings/integrations/hubspot/rollback')).not.toBeNull();

    const rolledBack = await admin.browser.submit(migrated, '/settings/integrations/hubspot/rollback');
    expect(testIdAttribute(rolledBack.html, 'toast', 'data-toast')).toBe('rolled_back');
    expect(testIdAttribute(rolledBack.html, 'auth-mode', 'data-auth-mode')).toBe('private_app');
    expect(testIdAttribute(rolledBack.html, 'integration-card', 'data-status')).toBe('connected');
    const { tokens } = await connectionState(stack!, admin.organization.id);
    expect(tokens).toMatchObject({ authMode: 'private_app', privateAppToken: token, oauth: null });
    expect(stack!.sandbox.state.refreshTokens[oauthRefresh!]?.revoked).toBe(true);
    expect(await stack!.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(token);
  });

  it('refuses a rollback to a Private App token HubSpot no longer accepts, and stays on OAuth', async () => {
    const { admin, token, page } = await onPrivateApp();
    const migrated = await connectThroughConsent(stack!, { browser: admin.browser, page });
    const before = await connectionState(stack!, admin.organization.id);
    stack!.sandbox.state.privateAppTokens[token]!.revoked = true; // the admin deleted the Private App in HubSpot
    const refused = await admin.browser.submit(migrated, '/settings/integrations/hubspot/rollback');
    expect(refused.status).toBe(400);
    expect(testIdText(refused.html, 'form-error')).toMatch(/no longer works/);
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });
});

describe('OAuth-only organizations', () => {
  it('never see the legacy form, and the API refuses a Private App token and a rollback', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack, { oauthOnly: true });
    expect(hasTestId(admin.page.html, 'option-private-app')).toBe(false);
    expect(hasTestId(admin.page.html, 'private-app-token')).toBe(false);
    expect(findForm(admin.page.html, '/settings/integrations/hubspot/private-app')).toBeNull();
    expect(hasTestId(admin.page.html, 'oauth-only-note')).toBe(true);

    const csrf = findForm(admin.page.html, '/oauth/install')!.hidden['_csrf']!;
    const { token } = stack.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
    for (const path of ['private-app', 'rollback']) {
      const res = await admin.browser.request(`${stack.serverUrl}/settings/integrations/hubspot/${path}`, { form: { _csrf: csrf, token } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect((await connectionState(stack, admin.organization.id)).connection).toBeNull();
    const connected = await connectThroughConsent(stack, admin);
    expect(findForm(connected.html, '/settings/integrations/hubspot/rollback')).toBeNull();
  });
});

describe('disconnect', () => {
  it('revokes the refresh token and deletes the tokens, keeping the connection row', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    const connected = await connectThroughConsent(stack, admin);
    const refresh = (await connectionState(stack, admin.organization.id)).tokens?.oauth?.refreshToken;

    const page = await admin.browser.submit(connected, '/settings/integrations/hubspot/disconnect');
    expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('disconnected');
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('not_connected');
    expect(stack.sandbox.state.refreshTokens[refresh!]?.revoked).toBe(true);
    const { connection, tokens } = await connectionState(stack, admin.organization.id);
    expect(connection).toMatchObject({ portalId: DEMO_PORTAL, status: 'disconnected' });
    expect(tokens).toMatchObject({ oauth: null, privateAppToken: null });
    await expect(stack.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).rejects.toMatchObject({ code: 'unknown_portal' });

    // Connecting again picks the same row up.
    const again = await connectThroughConsent(stack, { browser: admin.browser, page: await openSettings(stack, admin.browser) });
    expect(testIdAttribute(again.html, 'integration-card', 'data-status')).toBe('connected');
  });

  it('still deletes the tokens when HubSpot cannot be reached to revoke, and says so', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    const connected = await connectThroughConsent(stack, admin);
    stack.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03', status: 503 });
    const page = await admin.browser.submit(connected, '/settings/integrations/hubspot/disconnect');
    expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('disconnected_unrevoked');
    expect((await connectionState(stack, admin.organization.id)).tokens).toMatchObject({ oauth: null });
  });
});
