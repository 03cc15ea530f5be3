// app.hubspot.com/oauth/authorize: the consent screen with HubSpot's account picker (docs/hubspot-contract.md §1.1).
// Approve installs the app into the chosen portal and redirects with a single-use code; Deny redirects with
// error=access_denied. Bad client_id / redirect_uri get an HTML error page, never a redirect.
import { Hono } from 'hono';
import type { SandboxContext } from './context';
import { installApp, issueAuthCode } from './grants';
import { html, page, type RawHtml } from './html';

interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  optionalScopes: string[];
  state?: string;
}

const splitScopes = (v: string | undefined | null): string[] => (v ?? '').split(/[\s+,]+/).filter(Boolean);

function validate(ctx: SandboxContext, get: (k: string) => string | undefined): AuthorizeParams | string {
  const clientId = get('client_id') ?? '';
  const redirectUri = get('redirect_uri') ?? '';
  if (clientId !== ctx.app.clientId) return `Unknown client_id "${clientId}". The app could not be found.`;
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    return 'redirect_uri is missing or not a URL.';
  }
  // With no registered URIs (no app-hsmeta.json and no option) any http(s) redirect is accepted so the sandbox
  // stays usable while the project files are written; with a list, the match is exact as in HubSpot.
  const registered = ctx.app.redirectUris;
  if (registered.length > 0 ? !registered.includes(redirectUri) : !/^https?:$/.test(parsed.protocol)) {
    return `redirect_uri "${redirectUri}" does not match any redirect URL registered for this app.`;
  }
  const scopes = splitScopes(get('scope'));
  if (scopes.length === 0) return 'The scope parameter is required.';
  const optionalScopes = splitScopes(get('optional_scope')).filter((s) => !scopes.includes(s));
  const appAuth = ctx.project.app;
  if (appAuth && appAuth.requiredScopes.length > 0) {
    // ASSUMPTION (UNVERIFIED): HubSpot rejects install URLs whose scopes disagree with the app's configured
    // required/optional/conditional scopes. source: docs/hubspot-contract.md §8.2 "The three scope lists"
    const missing = appAuth.requiredScopes.filter((s) => !scopes.includes(s));
    const allowed = new Set([...appAuth.requiredScopes, ...appAuth.optionalScopes, ...appAuth.conditionallyRequiredScopes]);
    const unknown = [...scopes, ...optionalScopes].filter((s) => !allowed.has(s));
    if (missing.length > 0) return `The install URL is missing required scopes: ${missing.join(', ')}.`;
    if (unknown.length > 0) return `The install URL asks for scopes the app does not declare: ${unknown.join(', ')}.`;
  }
  return { clientId, redirectUri, scopes, optionalScopes, state: get('state') };
}

function errorPage(message: string): string {
  return page('Authorization error', html`<div class="card" id="consent-error"><h1>Something went wrong</h1><p>${message}</p></div>`);
}

function consentForm(ctx: SandboxContext, p: AuthorizeParams): string {
  const portals = Object.values(ctx.state.portals);
  const users = portals.flatMap((portal) => Object.values(portal.users).map((u) => ({ portal, u })));
  const scopeItem = (scope: string, optional: boolean): RawHtml =>
    html`<li class="consent-scope" data-scope="${scope}" data-optional="${String(optional)}">${optional
      ? html`<label><input type="checkbox" name="optional_scope" value="${scope}" checked> <code>${scope}</code> <span class="muted">(optional)</span></label>`
      : html`<code>${scope}</code>`}</li>`;
  const body = html`<div class="card" style="max-width:560px;margin:24px auto">
  <h1>Connect <span id="consent-app-name">${ctx.app.name}</span></h1>
  <p class="muted">This app is asking to access your HubSpot account.</p>
  <form method="post" action="/oauth/authorize" id="consent-form">
    <input type="hidden" name="client_id" value="${p.clientId}">
    <input type="hidden" name="redirect_uri" value="${p.redirectUri}">
    <input type="hidden" name="scope" value="${p.scopes.join(' ')}">
    <input type="hidden" name="requested_optional_scope" value="${p.optionalScopes.join(' ')}">
    ${p.state !== undefined ? html`<input type="hidden" name="state" value="${p.state}">` : ''}
    <h3>Choose an account</h3>
    <select id="consent-portal" name="portal">${portals.map((portal) =>
      html`<option value="${portal.portalId}">${portal.name} (${portal.portalId})${portal.install?.active ? ' — installed' : ''}</option>`)}</select>
    <h3>Install as</h3>
    <select id="consent-user" name="user">${users.map(({ portal, u }) =>
      html`<option value="${u.userId}" data-portal="${portal.portalId}">${u.firstName} ${u.lastName} &lt;${u.email}&gt; — ${portal.portalId}</option>`)}</select>
    <h3>Requested access</h3>
    <ul class="scopes">${p.scopes.map((s) => scopeItem(s, false))}${p.optionalScopes.map((s) => scopeItem(s, true))}</ul>
    <p><button type="submit" id="consent-approve" name="decision" value="approve">Connect app</button>
       <button type="submit" id="consent-deny" class="secondary" name="decision" value="deny">Cancel</button></p>
  </form></div>
  <script>
    // Keep the user picker to users of the chosen portal.
    const portalSel = document.getElementById('consent-portal'), userSel = document.getElementById('consent-user');
    function sync(){ let first; for (const o of userSel.options){ const show = o.dataset.portal === portalSel.value; o.hidden = !show; if (show && !first) first = o; }
      if (userSel.selectedOptions[0]?.hidden && first) userSel.value = first.value; }
    portalSel.addEventListener('change', sync); sync();
  </script>`;
  return page(`Connect ${ctx.app.name}`, body);
}

export function consentRoutes(ctx: SandboxContext): Hono {
  const r = new Hono();
  r.get('/oauth/authorize', (c) => {
    const params = validate(ctx, (k) => c.req.query(k));
    if (typeof params === 'string') return c.html(errorPage(params), 400);
    if (Object.keys(ctx.state.portals).length === 0) return c.html(errorPage('There is no account to install into.'), 400);
    return c.html(consentForm(ctx, params));
  });

  r.post('/oauth/authorize', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const get = (k: string) => form.get(k) ?? undefined;
    const params = validate(ctx, (k) => (k === 'optional_scope' ? get('requested_optional_scope') : get(k)));
    if (typeof params === 'string') return c.html(errorPage(params), 400);
    const target = new URL(params.redirectUri);
    if (get('decision') !== 'approve') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied the request.');
      if (params.state !== undefined) target.searchParams.set('state', params.state);
      return c.redirect(target.toString(), 302);
    }
    const portal = ctx.state.portals[get('portal') ?? ''];
    if (!portal) return c.html(errorPage('Choose an account to install into.'), 400);
    const requestedUser = portal.users[get('user') ?? ''];
    const user = requestedUser ?? Object.values(portal.users)[0];
    if (!user) return c.html(errorPage(`Account ${portal.portalId} has no users.`), 400);
    const chosenOptional = form.getAll('optional_scope').filter((s) => params.optionalScopes.includes(s));
    const scopes = [...params.scopes, ...chosenOptional];
    installApp(ctx, portal.portalId, user.userId, scopes);
    const code = issueAuthCode(ctx, {
      clientId: params.clientId, redirectUri: params.redirectUri, portalId: portal.portalId, userId: user.userId, scopes,
    });
    target.searchParams.set('code', code.code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    return c.redirect(target.toString(), 302);
  });
  return r;
}
