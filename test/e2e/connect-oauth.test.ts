import { AI_STATUS_PROPERTY_NAME } from '@opencx/shared';
import { createFixedClock } from '@opencx/server';
import { addAdmin } from '@opencx/server/admin/provision';
import { HUBSPOT_REQUIRED_SCOPES } from '@opencx/server/connect/scopes';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { AdminBrowser, hasTestId, testIdAttribute, testIdText, type Page } from './support/admin-browser';
import { answerConsent, clickConnect, connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin, signInWithLink } from './support/connect-flow';
import { connectionState } from './support/snapshots';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const errorCode = (page: Page) => testIdAttribute(page.html, 'error-page', 'data-error-code');

describe('Connect HubSpot over OAuth (steps 1 to 5)', () => {
  it('goes from Not connected through HubSpot consent to Connected, with the toast', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    expect(testIdAttribute(admin.page.html, 'integration-card', 'data-status')).toBe('not_connected');
    expect(testIdText(admin.page.html, 'integration-status')).toBe('Not connected');

    const { authorizeUrl, consent, installStatus } = await clickConnect(admin.browser, admin.page);
    expect(installStatus).toBe(303);
    expect(consent.status).toBe(200);
    const callback = await answerConsent(stack, admin.browser, consent, { portalId: DEMO_PORTAL });
    expect(callback.searchParams.get('state')).toBe(authorizeUrl.searchParams.get('state'));
    const page = await admin.browser.open(callback.toString());

    expect(page.url).toBe(`${stack.serverUrl}/settings/integrations/hubspot`);
    expect(testIdText(page.html, 'toast')).toBe('HubSpot connected');
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('connected');
    expect(testIdText(page.html, 'portal-id')).toBe(String(DEMO_PORTAL));
    expect(testIdAttribute(page.html, 'auth-mode', 'data-auth-mode')).toBe('oauth');
    expect(testIdText(page.html, 'connected-by')).toBe('jane.agent@example.com');
    // The toast shows once.
    expect(hasTestId((await openSettings(stack, admin.browser)).html, 'toast')).toBe(false);

    // The tokens are stored (encrypted), with the metadata HubSpot reported, and they work.
    const { connection, tokens } = await connectionState(stack, admin.organization.id);
    expect(connection).toMatchObject({ portalId: DEMO_PORTAL, authMode: 'oauth', status: 'connected', connectedBy: { hubspotUserId: 9586504, email: 'jane.agent@example.com' } });
    expect(connection?.scopes).toEqual(expect.arrayContaining([...HUBSPOT_REQUIRED_SCOPES]));
    expect(tokens?.oauth?.refreshToken).toBeTruthy();
    expect(await stack.server.deps.tokens.accessTokenFor(DEMO_PORTAL)).toBe(tokens?.oauth?.accessToken);
    // On install, the AI status ticket property was created in the portal.
    expect(stack.sandbox.state.portals[String(DEMO_PORTAL)]?.ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeDefined();
  });

  it('sends HubSpot the app’s exact scopes, its redirect URI and a state, and the consent screen shows them', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    const { authorizeUrl, consent } = await clickConnect(admin.browser, admin.page);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${stack.sandboxUrl}/oauth/authorize`);
    expect(authorizeUrl.searchParams.get('client_id')).toBe(stack.sandbox.appCredentials.clientId);
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${stack.serverUrl}/oauth/callback`);
    expect(authorizeUrl.searchParams.get('scope')?.split(' ')).toEqual([...HUBSPOT_REQUIRED_SCOPES]);
    expect(authorizeUrl.searchParams.has('optional_scope')).toBe(false); // the app declares none
    expect(authorizeUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const shown = [...consent.html.matchAll(/class="consent-scope" data-scope="([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual([...HUBSPOT_REQUIRED_SCOPES]);
    expect(consent.html).toContain('id="consent-app-name"');
  });

  it('keeps the AI status property step from failing the connect when HubSpot refuses it (retried on the next connect)', async () => {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    stack.sandbox.control.addFault({ pathPrefix: '/crm/v3/properties', status: 500 });
    const page = await connectThroughConsent(stack, admin);
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('connected');
    const portal = stack.sandbox.state.portals[String(DEMO_PORTAL)]!;
    expect(portal.ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeUndefined();

    stack.sandbox.control.clearFaults();
    await connectThroughConsent(stack, { browser: admin.browser, page: await openSettings(stack, admin.browser) });
    expect(portal.ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeDefined();
  });
});

describe('a callback that cannot complete shows a clear page and changes nothing', () => {
  async function startedConnect() {
    stack = await startStack();
    const admin = await signInNewAdmin(stack);
    const before = await connectionState(stack, admin.organization.id);
    const { authorizeUrl, consent } = await clickConnect(admin.browser, admin.page);
    return { admin, before, authorizeUrl, consent, state: authorizeUrl.searchParams.get('state')! };
  }
  const callbackUrl = (query: Record<string, string>) => `${stack!.serverUrl}/oauth/callback?${new URLSearchParams(query)}`;

  it('denied consent → 403 page', async () => {
    const { admin, before, consent } = await startedConnect();
    const callback = await answerConsent(stack!, admin.browser, consent, { decision: 'deny' });
    const page = await admin.browser.open(callback.toString());
    expect(page.status).toBe(403);
    expect(errorCode(page)).toBe('consent_denied');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });

  it('a forged state (bad signature, or a signed-looking state we never issued) → 400 page', async () => {
    const { admin, before, consent, state } = await startedConnect();
    const callback = await answerConsent(stack!, admin.browser, consent);
    const [payload, signature] = state.split('.') as [string, string];
    const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const otherOrg = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), organizationId: 'org_other' })).toString('base64url');
    for (const forged of [flipped, `${otherOrg}.${signature}`, 'not-a-state']) {
      const page = await admin.browser.open(callbackUrl({ code: callback.searchParams.get('code')!, state: forged }));
      expect(page.status).toBe(400);
      expect(errorCode(page)).toBe('state_invalid');
    }
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
    // The genuine state was not used up by the forgeries.
    expect((await admin.browser.open(callback.toString())).url).toMatch(/\/settings\/integrations\/hubspot$/);
  });

  it('a reused state → 400 page, and the first connection stays as it was', async () => {
    const { admin, consent } = await startedConnect();
    const callback = await answerConsent(stack!, admin.browser, consent);
    expect(testIdText((await admin.browser.open(callback.toString())).html, 'toast')).toBe('HubSpot connected');
    const connected = await connectionState(stack!, admin.organization.id);
    const replay = await admin.browser.open(callback.toString());
    expect(replay.status).toBe(400);
    expect(errorCode(replay)).toBe('state_used');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(connected);
  });

  it('an expired state (more than 10 minutes) → 400 page', async () => {
    const clock = createFixedClock(Date.now());
    stack = await startStack({ start: { clock } });
    const admin = await signInNewAdmin(stack);
    const { consent } = await clickConnect(admin.browser, admin.page);
    const callback = await answerConsent(stack, admin.browser, consent);
    clock.advance(10 * 60_000 + 1);
    const page = await admin.browser.open(callback.toString());
    expect(page.status).toBe(400);
    expect(errorCode(page)).toBe('state_expired');
    expect((await connectionState(stack, admin.organization.id)).connection).toBeNull();
  });

  it('a state from another admin session (another browser, or nobody signed in) → 403 page, and the state still works where it began', async () => {
    const { admin, before, consent } = await startedConnect();
    const callback = await answerConsent(stack!, admin.browser, consent);
    const anonymous = await new AdminBrowser().open(callback.toString());
    expect(anonymous.status).toBe(403);
    expect(errorCode(anonymous)).toBe('session_mismatch');

    const colleague = new AdminBrowser(); // same organization, another sign-in
    const other = await addAdmin(stack!.server.deps, { organizationId: admin.organization.id, email: 'colleague@acme.test' });
    await signInWithLink(stack!, colleague, other.id);
    const page = await colleague.open(callback.toString());
    expect(page.status).toBe(403);
    expect(errorCode(page)).toBe('session_mismatch');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);

    const own = await admin.browser.open(callback.toString());
    expect(testIdText(own.html, 'toast')).toBe('HubSpot connected');
  });

  it('a bad code → 400 page', async () => {
    const { admin, before, state } = await startedConnect();
    const page = await admin.browser.open(callbackUrl({ code: 'made-up-code', state }));
    expect(page.status).toBe(400);
    expect(errorCode(page)).toBe('bad_code');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });

  it('a state but no code → 400 page', async () => {
    const { admin, before, state } = await startedConnect();
    const page = await admin.browser.open(callbackUrl({ state }));
    expect(page.status).toBe(400);
    expect(errorCode(page)).toBe('missing_code');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });

  it('HubSpot failing at the token exchange → 502 page', async () => {
    const { admin, before, consent } = await startedConnect();
    const callback = await answerConsent(stack!, admin.browser, consent);
    stack!.sandbox.control.addFault({ pathPrefix: '/oauth/2026-03', status: 503 });
    const page = await admin.browser.open(callback.toString());
    expect(page.status).toBe(502);
    expect(errorCode(page)).toBe('hubspot_unavailable');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });

  it('HubSpot reporting an authorization error → 400 page (the error comes from the browser, not from a call of ours)', async () => {
    const { admin, before, state } = await startedConnect();
    const page = await admin.browser.open(callbackUrl({ error: 'server_error', error_description: 'boom', state }));
    expect(page.status).toBe(400);
    expect(errorCode(page)).toBe('hubspot_authorize_error');
    expect(await connectionState(stack!, admin.organization.id)).toEqual(before);
  });
});
