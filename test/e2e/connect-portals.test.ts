import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { AdminBrowser, hasTestId, testIdAttribute, testIdText } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin, signInWithLink } from './support/connect-flow';
import { seedProductData } from './support/seed-data';
import { connectionState, snapshotProtectedRows } from './support/snapshots';

const OTHER_PORTAL = 77001;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function startWithTwoPortals() {
  stack = await startStack();
  stack.sandbox.control.createPortal({ portalId: OTHER_PORTAL, name: 'Second portal' });
  return stack;
}

/** Refresh tokens the sandbox issued for a portal, with their revocation flag. */
const refreshTokensOf = (s: Stack, portalId: number) => Object.values(s.sandbox.state.refreshTokens).filter((t) => t.portalId === portalId);

describe('one portal per organization', () => {
  it('refuses a portal already bound to another organization with a clear page, and changes neither organization', async () => {
    const s = await startWithTwoPortals();
    const first = await signInNewAdmin(s, { name: 'First' });
    await connectThroughConsent(s, first);
    const firstBefore = await connectionState(s, first.organization.id);

    const second = await signInNewAdmin(s, { name: 'Second' });
    const page = await connectThroughConsent(s, second, { portalId: DEMO_PORTAL });
    expect(page.status).toBe(409);
    expect(testIdAttribute(page.html, 'error-page', 'data-error-code')).toBe('portal_taken');
    expect(await connectionState(s, first.organization.id)).toEqual(firstBefore);
    expect((await connectionState(s, second.organization.id)).connection).toBeNull();
    // The grant we could not use was revoked; the first organization's token still works.
    const tokens = refreshTokensOf(s, DEMO_PORTAL);
    expect(tokens.filter((t) => t.token !== firstBefore.tokens?.oauth?.refreshToken).every((t) => t.revoked)).toBe(true);
    expect(tokens.find((t) => t.token === firstBefore.tokens?.oauth?.refreshToken)?.revoked).toBe(false);
  });

  it('reconnecting to the same portal needs no confirmation and retires the replaced refresh token', async () => {
    const s = await startWithTwoPortals();
    const admin = await signInNewAdmin(s);
    await connectThroughConsent(s, admin);
    const before = await connectionState(s, admin.organization.id);
    const page = await connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) });
    expect(testIdText(page.html, 'toast')).toBe('HubSpot connected');
    const after = await connectionState(s, admin.organization.id);
    expect(after.connection?.portalId).toBe(DEMO_PORTAL);
    expect(after.tokens?.oauth?.refreshToken).not.toBe(before.tokens?.oauth?.refreshToken);
    expect(refreshTokensOf(s, DEMO_PORTAL).find((t) => t.token === before.tokens?.oauth?.refreshToken)?.revoked).toBe(true);
  });

  it('warns before moving to another portal; on confirmation the old portal’s ticket links are kept and marked stale', async () => {
    const s = await startWithTwoPortals();
    const admin = await signInNewAdmin(s);
    await connectThroughConsent(s, admin);
    await seedProductData(s.server.deps.store, { organizationId: admin.organization.id, portalId: DEMO_PORTAL });
    // Another organization's old links on the same portal number are none of this organization's business.
    const neighbour = await signInNewAdmin(s, { name: 'Neighbour' });
    await seedProductData(s.server.deps.store, { organizationId: neighbour.organization.id, portalId: DEMO_PORTAL, prefix: 'nb' });
    const before = snapshotProtectedRows(s);
    const connectedBefore = await connectionState(s, admin.organization.id);

    const warning = await connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }, { portalId: OTHER_PORTAL });
    expect(warning.status).toBe(200);
    expect(testIdAttribute(warning.html, 'portal-change-warning', 'data-from-portal')).toBe(String(DEMO_PORTAL));
    expect(testIdAttribute(warning.html, 'portal-change-warning', 'data-to-portal')).toBe(String(OTHER_PORTAL));
    // Nothing moved yet.
    expect(await connectionState(s, admin.organization.id)).toEqual(connectedBefore);
    expect(snapshotProtectedRows(s)).toEqual(before);

    const page = await admin.browser.submit(warning, /\/portal-change\/[^/]+\/confirm$/);
    expect(testIdText(page.html, 'toast')).toBe('HubSpot connected');
    expect(testIdText(page.html, 'portal-id')).toBe(String(OTHER_PORTAL));

    const after = snapshotProtectedRows(s);
    expect(after.chat_sessions).toEqual(before.chat_sessions);
    expect(after.chat_history).toEqual(before.chat_history);
    expect(after.signature_settings).toEqual(before.signature_settings);
    expect(after.ticket_links).toHaveLength(before.ticket_links.length);
    for (const link of after.ticket_links) {
      const was = before.ticket_links.find((l) => l.ticket_id === link.ticket_id)!;
      const ours = String(link.session_id).startsWith(admin.organization.id);
      expect({ ...link, status: was.status, updated_at: was.updated_at }).toEqual(was);
      expect(link.status).toBe(ours ? 'stale' : 'active');
    }
    // The old portal's refresh token is revoked: the organization no longer acts there.
    expect(refreshTokensOf(s, DEMO_PORTAL).find((t) => t.token === connectedBefore.tokens?.oauth?.refreshToken)?.revoked).toBe(true);
  });

  it('cancelling the move keeps everything and revokes the unused grant', async () => {
    const s = await startWithTwoPortals();
    const admin = await signInNewAdmin(s);
    await connectThroughConsent(s, admin);
    const before = await connectionState(s, admin.organization.id);
    const warning = await connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }, { portalId: OTHER_PORTAL });
    const page = await admin.browser.submit(warning, /\/portal-change\/[^/]+\/cancel$/);
    expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('portal_change_cancelled');
    expect(await connectionState(s, admin.organization.id)).toEqual(before);
    expect(refreshTokensOf(s, OTHER_PORTAL).every((t) => t.revoked)).toBe(true);
  });

  it('asks the same question when a pasted Private App token opens another portal', async () => {
    const s = await startWithTwoPortals();
    const admin = await signInNewAdmin(s);
    await connectThroughConsent(s, admin);
    const before = await connectionState(s, admin.organization.id);
    const { token } = s.sandbox.control.createPrivateAppToken({ portalId: OTHER_PORTAL });
    const defaultUserId = String(Object.values(s.sandbox.state.portals[String(OTHER_PORTAL)]!.users)[0]!.userId);
    const warning = await admin.browser.submit(await openSettings(s, admin.browser), '/settings/integrations/hubspot/private-app', { token, defaultUserId });
    expect(testIdAttribute(warning.html, 'portal-change-warning', 'data-to-portal')).toBe(String(OTHER_PORTAL));
    expect(await connectionState(s, admin.organization.id)).toEqual(before);

    const page = await admin.browser.submit(warning, /\/portal-change\/[^/]+\/confirm$/);
    expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('private_app_saved');
    expect(testIdText(page.html, 'portal-id')).toBe(String(OTHER_PORTAL));
    expect((await connectionState(s, admin.organization.id)).tokens).toMatchObject({ authMode: 'private_app', privateAppToken: token, oauth: null });
  });

  it('only the session that saw the warning can confirm it', async () => {
    const s = await startWithTwoPortals();
    const admin = await signInNewAdmin(s);
    await connectThroughConsent(s, admin);
    const before = await connectionState(s, admin.organization.id);
    const warning = await connectThroughConsent(s, { browser: admin.browser, page: await openSettings(s, admin.browser) }, { portalId: OTHER_PORTAL });

    const otherBrowser = new AdminBrowser();
    const settings = await signInWithLink(s, otherBrowser, admin.admin.id); // the same admin, another browser
    const action = /action="([^"]*\/confirm)"/.exec(warning.html)![1]!;
    const csrf = /name="_csrf" value="([^"]*)"/.exec(settings.html)![1]!;
    const page = await otherBrowser.open(new URL(action, s.serverUrl).toString(), { form: { _csrf: csrf } });
    expect(page.status).toBe(404);
    expect(testIdAttribute(page.html, 'error-page', 'data-error-code')).toBe('pending_not_found');
    expect(await connectionState(s, admin.organization.id)).toEqual(before);
    expect(hasTestId((await openSettings(s, admin.browser)).html, 'integration-card')).toBe(true);
  });
});
