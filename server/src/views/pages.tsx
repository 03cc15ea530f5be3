/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { ErrorPage } from './error-page';
import { FAILURES, type FailureCode } from './failures';
import { MarketplacePendingPage, PortalChangePage } from './pending-pages';
import { sendPage } from './render';
import { SettingsPage } from './settings-page';
import { SignInPage } from './sign-in-page';

// Page senders for route files that are plain .ts (no JSX).

export function sendFailurePage(c: Context, code: FailureCode, options: { signedIn?: boolean; detail?: string } = {}) {
  return sendPage(c, <ErrorPage code={code} {...options} />, FAILURES[code].status);
}

export const sendPortalChangePage = (c: Context, props: Parameters<typeof PortalChangePage>[0]) => sendPage(c, <PortalChangePage {...props} />);

export const sendMarketplacePendingPage = (c: Context, props: Parameters<typeof MarketplacePendingPage>[0]) =>
  sendPage(c, <MarketplacePendingPage {...props} />);

export const sendSettingsPage = (c: Context, props: Parameters<typeof SettingsPage>[0], status: 200 | 400 | 409 | 502 | 503 = 200) =>
  sendPage(c, <SettingsPage {...props} />, status);

export const sendSignInPage = (c: Context, token: string | null) => sendPage(c, <SignInPage token={token} />);
