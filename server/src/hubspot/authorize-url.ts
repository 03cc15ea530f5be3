// The install/consent URL (docs/hubspot-contract.md §1.1). Same query shape as the SDK's getAuthorizationUrl, but the
// host comes from config (HUBSPOT_AUTHORIZE_URL) so tests can point it at the sandbox; the SDK hard-codes it.

export interface AuthorizeUrlInput {
  /** HUBSPOT_AUTHORIZE_URL, e.g. https://app.hubspot.com/oauth/authorize */
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  optionalScopes?: readonly string[];
  /** Opaque CSRF value, checked when HubSpot redirects back. */
  state: string;
}

export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const scopes = unique(input.scopes);
  if (scopes.length === 0) throw new TypeError('at least one required scope is needed');
  // A scope listed as both required and optional is required; sending it twice would be ambiguous.
  const optional = unique(input.optionalScopes ?? []).filter((s) => !scopes.includes(s));
  const params: [string, string][] = [
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['scope', scopes.join(' ')],
  ];
  // UNVERIFIED: the query key is `optional_scope` (singular) as in the SDK and third-party code; the docs' prose
  // says "optional_scopes" (docs/hubspot-contract.md §1.1)
  if (optional.length > 0) params.push(['optional_scope', optional.join(' ')]);
  params.push(['state', input.state]);
  // encodeURIComponent (spaces as %20, like HubSpot's guide and the SDK's querystring.stringify) rather than
  // URLSearchParams, which would write spaces as "+".
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const base = new URL(input.authorizeUrl); // throws on a malformed config value
  return `${base.origin}${base.pathname}${base.search ? `${base.search}&` : '?'}${query}`;
}

const unique = (values: readonly string[]): string[] => [...new Set(values.map((s) => s.trim()).filter(Boolean))];
