import { Hono } from 'hono';
import type { AppDeps } from '../deps';
import { SETTINGS_PATH } from '../views/error-page';
import { sendFailurePage, sendSignInPage } from '../views/pages';
import { endSession, loadAdminSession, startSession, type AdminEnv } from './admin-session';
import { isSameOrigin, requireAdminForm } from './guards';
import { SIGN_IN_PATH } from './provision';
import { hashSecretToken, looksLikeSecretToken } from './secret-token';
import { readForm } from '../http/parse-body';

const REFUSAL_PAGES = { unknown: 'link_invalid', expired: 'link_expired', used: 'link_used' } as const;

/** Mounted at /admin: one-time sign-in links and sign-out. */
export function adminRoutes(deps: AppDeps) {
  const routes = new Hono<AdminEnv>();
  routes.use(loadAdminSession(deps));

  // Shows a button rather than signing in: link scanners and previews that fetch the URL cannot use it up.
  routes.get('/sign-in', (c) => {
    const token = c.req.query('token');
    return sendSignInPage(c, looksLikeSecretToken(token) ? token : null);
  });

  routes.post('/sign-in', async (c) => {
    // No session yet, so no CSRF token: the link's token is the proof; a foreign origin is still refused.
    if (!isSameOrigin(c, deps)) return sendFailurePage(c, 'csrf_failed', { signedIn: false });
    const form = await readForm(c.req);
    const token = typeof form['token'] === 'string' ? form['token'] : undefined;
    if (!looksLikeSecretToken(token)) return sendFailurePage(c, 'link_invalid', { signedIn: false });
    const result = await deps.store.admins.consumeSignInLink(hashSecretToken(token), deps.clock.now());
    if ('refused' in result) return sendFailurePage(c, REFUSAL_PAGES[result.refused], { signedIn: false });
    await startSession(c, deps, result.admin);
    c.var.logger.info({ adminId: result.admin.id, organizationId: result.admin.organizationId }, 'admin signed in');
    return c.redirect(SETTINGS_PATH, 303);
  });

  routes.post('/sign-out', requireAdminForm(deps), async (c) => {
    await endSession(c, deps);
    return c.redirect(SIGN_IN_PATH, 303);
  });

  return routes;
}
