import type { Context } from 'hono';
import { Hono } from 'hono';
import { loadAdminSession, type AdminEnv } from '../admin/admin-session';
import { getInstallClaim, setInstallClaim, setToast } from '../admin/cookies';
import { requireAdminForm } from '../admin/guards';
import { bindGrant, type BindOutcome } from '../connect/bind-portal';
import { ConnectFailure } from '../connect/connect-failure';
import { exchangeCodeForGrant, redirectUriOf } from '../connect/grant';
import { createOAuthState, verifyOAuthState } from '../connect/oauth-state';
import { holdMarketplaceInstall, MARKETPLACE_PENDING_TTL_MS, sweepExpired } from '../connect/pending';
import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_REQUIRED_SCOPES } from '../connect/scopes';
import type { AppDeps } from '../deps';
import { clientAddressOf } from '../http/client-address';
import { buildAuthorizeUrl } from '../hubspot';
import { SETTINGS_PATH } from '../views/error-page';
import { sendFailurePage, sendMarketplacePendingPage, sendPortalChangePage } from '../views/pages';

/**
 * Mounted at /oauth. POST /install sends a signed-in admin to HubSpot's consent screen with a signed, single-use
 * state bound to the organization and the session; GET /callback exchanges the code, reads the token's metadata and
 * connects the portal. Every failure is a page that says what happened, and nothing is changed by it.
 * Codes, states and tokens are never logged (the request log has no query string).
 */
export function oauthRoutes(deps: AppDeps) {
  const routes = new Hono<AdminEnv>();
  routes.use(loadAdminSession(deps));

  // The Connect button posts (with its CSRF token); a plain visit just goes to the settings page.
  routes.get('/install', (c) => c.redirect(SETTINGS_PATH, 303));

  routes.post('/install', requireAdminForm(deps), async (c) => {
    const app = deps.config.hubspot;
    if (!app || !deps.oauth) return sendFailurePage(c, 'not_configured');
    await sweepExpired(deps).catch((err: unknown) => c.var.logger.warn({ err }, 'housekeeping of expired Connect records failed'));
    const state = await createOAuthState(deps, c.var.adminContext!);
    const url = buildAuthorizeUrl({
      authorizeUrl: deps.config.hubspotAuthorizeUrl,
      clientId: app.clientId,
      redirectUri: redirectUriOf(deps.config),
      scopes: HUBSPOT_REQUIRED_SCOPES,
      optionalScopes: HUBSPOT_OPTIONAL_SCOPES,
      state,
    });
    return c.redirect(url, 303);
  });

  // A ConnectFailure thrown on the way is its error page (app.onError, http/send-error.ts).
  routes.get('/callback', (c) => handleCallback(c, deps));

  return routes;
}

async function handleCallback(c: Context<AdminEnv>, deps: AppDeps): Promise<Response> {
  if (!deps.oauth) throw new ConnectFailure('not_configured', 'no OAuth client');
  const state = c.req.query('state');
  const code = c.req.query('code');
  const hubspotError = c.req.query('error');

  // No state of ours: an install started in HubSpot's marketplace. Held until an admin attaches it.
  // UNVERIFIED: that marketplace installs reach the redirect URL with a code and no state (the install URL configured
  // in HubSpot carries no state unless we add one; docs/hubspot-contract.md §1.1 "You may also include ... state").
  if (!state) {
    throwIfAuthorizeFailed(hubspotError);
    if (!code) throw new ConnectFailure('missing_code', 'callback without code');
    await throttleExchange(c, deps);
    const grant = await exchangeCodeForGrant(deps, code);
    const { claimToken } = await holdMarketplaceInstall(deps, grant, getInstallClaim(c));
    setInstallClaim(c, deps.config, claimToken, MARKETPLACE_PENDING_TTL_MS);
    return sendMarketplacePendingPage(c, { portalId: grant.portalId, signedIn: c.var.adminContext !== null });
  }

  const checked = await verifyOAuthState(deps, state);
  if (!checked.ok) throw new ConnectFailure(checked.reason === 'expired' ? 'state_expired' : 'state_invalid', 'state refused');
  // The binding is checked before the state is used up, so that opening the callback in the wrong browser does not
  // spoil it for the admin who started it.
  const record = await deps.store.oauthStates.find(checked.nonceHash);
  if (!record || record.organizationId !== checked.organizationId) throw new ConnectFailure('state_invalid', 'state unknown or mismatched');
  const context = c.var.adminContext;
  if (!context || context.sessionHash !== record.sessionHash || context.organization.id !== record.organizationId) {
    throw new ConnectFailure('session_mismatch', 'state bound to another session');
  }
  const consumed = await deps.store.oauthStates.consume(checked.nonceHash, deps.clock.now());
  if ('refused' in consumed) {
    const byRefusal = { unknown: 'state_invalid', expired: 'state_expired', used: 'state_used' } as const;
    throw new ConnectFailure(byRefusal[consumed.refused], 'state refused');
  }
  throwIfAuthorizeFailed(hubspotError);
  if (!code) throw new ConnectFailure('missing_code', 'callback without code');

  const grant = await exchangeCodeForGrant(deps, code);
  const outcome = await bindGrant(deps, { organizationId: context.organization.id, grant, allowPortalChange: false, sessionHash: context.sessionHash });
  return respondToBind(c, deps, outcome);
}

/**
 * Anyone can open a state-less callback, and each would spend a token exchange at HubSpot (see CallbackThrottle).
 * Callbacks with a state exchange only after the state, bound to a signed-in admin's session, is verified and used.
 */
async function throttleExchange(c: Context<AdminEnv>, deps: AppDeps): Promise<void> {
  const answer = await deps.oauthCallbackThrottle.admit(clientAddressOf(c));
  if (answer.admitted) return;
  c.header('Retry-After', String(Math.max(1, Math.ceil(answer.retryAfterMs / 1000))));
  throw new ConnectFailure('too_many_attempts', 'OAuth callback throttled');
}

// UNVERIFIED: HubSpot reports a denied consent as RFC 6749 `error=access_denied` on the redirect (the sandbox does;
// docs/hubspot-contract.md §1.1 documents only the success redirect). Any other `error` is shown as a HubSpot error.
function throwIfAuthorizeFailed(error: string | undefined): void {
  if (error === undefined) return;
  throw new ConnectFailure(error === 'access_denied' ? 'consent_denied' : 'hubspot_authorize_error', 'HubSpot answered with an error');
}

/** Connected → back to the settings page with the toast; another portal → ask the admin first. */
export function respondToBind(c: Context<AdminEnv>, deps: AppDeps, outcome: BindOutcome): Response | Promise<Response> {
  if (outcome.kind === 'confirm_portal_change') {
    return sendPortalChangePage(c, {
      pendingId: outcome.pendingId,
      fromPortalId: outcome.fromPortalId,
      toPortalId: outcome.toPortalId,
      csrfToken: c.var.adminContext!.csrfToken,
    });
  }
  setToast(c, deps.config, outcome.connection.authMode === 'oauth' ? 'connected' : 'private_app_saved');
  return c.redirect(SETTINGS_PATH, 303);
}
