// The admin's Connect journey, step by step over HTTP, for the end-to-end tests.
import type { Organization } from '@opencx/shared';
import { createOrganizationWithAdmin, issueSignInLink } from '@opencx/server/admin/provision';
import type { Admin } from '@opencx/server/store/admins.store';
import type { Stack } from '../../support/stack';
import { AdminBrowser, findForm, type Page } from './admin-browser';

export const DEMO_PORTAL = 62515;
export const SETTINGS = '/settings/integrations/hubspot';

export interface SignedIn {
  browser: AdminBrowser;
  organization: Organization;
  admin: Admin;
  /** The settings page right after signing in. */
  page: Page;
}

/** A new organization with one admin, signed in through a one-time link like a person would. */
export async function signInNewAdmin(stack: Stack, options: { oauthOnly?: boolean; email?: string; name?: string } = {}): Promise<SignedIn> {
  const deps = stack.server.deps;
  const { organization, admin } = await createOrganizationWithAdmin(deps, {
    organizationName: options.name ?? 'Acme Support',
    adminEmail: options.email ?? `admin-${Math.random().toString(36).slice(2, 8)}@acme.test`,
    oauthOnly: options.oauthOnly ?? false,
  });
  const browser = new AdminBrowser();
  const page = await signInWithLink(stack, browser, admin.id);
  return { browser, organization, admin, page };
}

export async function signInWithLink(stack: Stack, browser: AdminBrowser, adminId: string): Promise<Page> {
  const link = await issueSignInLink(stack.server.deps, adminId);
  const signInPage = await browser.open(link.url);
  const page = await browser.submit(signInPage, '/admin/sign-in');
  if (page.status !== 200 || !page.url.endsWith(SETTINGS)) throw new Error(`sign-in ended at ${page.url} (${page.status})`);
  return page;
}

/** Clicks "Connect with HubSpot": returns the consent URL our server redirected to, and the consent page. */
export async function clickConnect(browser: AdminBrowser, page: Page): Promise<{ authorizeUrl: URL; consent: Page; installStatus: number }> {
  const form = findForm(page.html, '/oauth/install');
  if (!form) throw new Error('no Connect form on the page');
  const res = await browser.request(new URL('/oauth/install', page.url).toString(), { form: form.hidden });
  await res.body?.cancel();
  const location = res.headers.get('location');
  if (!location) throw new Error(`/oauth/install answered ${res.status} without a redirect`);
  const authorizeUrl = new URL(location, page.url);
  return { authorizeUrl, consent: await browser.open(authorizeUrl.toString()), installStatus: res.status };
}

/**
 * Approves (or denies) on the sandbox's consent screen as the chosen portal's user, without following HubSpot's
 * redirect: returns the callback URL HubSpot sends the browser to.
 */
export async function answerConsent(
  stack: Stack,
  browser: AdminBrowser,
  consent: Page,
  options: { decision?: 'approve' | 'deny'; portalId?: number } = {},
): Promise<URL> {
  const portalId = options.portalId ?? DEMO_PORTAL;
  const portal = stack.sandbox.state.portals[String(portalId)];
  const user = Object.values(portal?.users ?? {})[0];
  if (!user) throw new Error(`sandbox portal ${portalId} has no user`);
  const form = findForm(consent.html, '/oauth/authorize');
  if (!form) throw new Error(`no consent form (status ${consent.status}): ${consent.html.slice(0, 300)}`);
  const res = await browser.request(new URL('/oauth/authorize', consent.url).toString(), {
    form: { ...form.hidden, portal: String(portalId), user: String(user.userId), decision: options.decision ?? 'approve' },
  });
  await res.body?.cancel();
  if (res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

/** Steps 3 and 4: Connect → consent → callback → the page the callback leads to. */
export async function connectThroughConsent(
  stack: Stack,
  signedIn: { browser: AdminBrowser; page: Page },
  options: { decision?: 'approve' | 'deny'; portalId?: number } = {},
): Promise<Page> {
  const { consent } = await clickConnect(signedIn.browser, signedIn.page);
  const callback = await answerConsent(stack, signedIn.browser, consent, options);
  return signedIn.browser.open(callback.toString());
}

export async function openSettings(stack: Stack, browser: AdminBrowser): Promise<Page> {
  return browser.open(`${stack.serverUrl}${SETTINGS}`);
}
