import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../deps';
import { sendFailurePage } from '../views/pages';
import type { AdminEnv } from './admin-session';
import { safeEqual } from './secret-token';
import { readForm } from '../http/parse-body';

type Deps = Pick<AppDeps, 'config'>;

/** Admin pages: a signed-in organization admin, or the sign-in page with 401. */
export function requireAdmin(): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (!c.get('adminContext')) return sendFailurePage(c, 'sign_in_required', { signedIn: false });
    await next();
  };
}

/**
 * Every admin form POST: same origin, a signed-in admin, and the session's CSRF token in `_csrf`. SameSite=Lax
 * already keeps the cookie off cross-site POSTs; the token also covers same-site attackers and old browsers.
 */
export function requireAdminForm(deps: Deps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (!isSameOrigin(c, deps)) return sendFailurePage(c, 'csrf_failed');
    const context = c.get('adminContext');
    if (!context) return sendFailurePage(c, 'sign_in_required', { signedIn: false });
    const form = await readForm(c.req);
    const sent = typeof form['_csrf'] === 'string' ? form['_csrf'] : '';
    if (!safeEqual(sent, context.csrfToken)) return sendFailurePage(c, 'csrf_failed');
    await next();
  };
}

/**
 * Browsers send Sec-Fetch-Site and Origin on form posts; anything but this very origin means a form of another site
 * (or a sandboxed frame, `Origin: null`). A request with neither (curl, tests) is judged by the CSRF token alone.
 */
export function isSameOrigin(c: Context, deps: Deps): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  return origin === new URL(deps.config.publicBaseUrl).origin || origin === new URL(c.req.url).origin;
}
