import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config';
import { LAYOUT_STYLE_HASH } from '../views/layout';

/**
 * Hono's security headers, with a strict Content-Security-Policy for the admin pages: they run no script at all,
 * their only style is the layout's inline sheet (allowed by its hash, not by 'unsafe-inline'), and their forms post
 * to this server, whose Connect answer redirects to HubSpot's consent page (browsers check form-action on that
 * redirect too). Nothing may frame them or change their base URL.
 */
export function securityHeaders(config: Pick<Config, 'hubspotAuthorizeUrl'>): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [`'${LAYOUT_STYLE_HASH}'`],
      formAction: ["'self'", new URL(config.hubspotAuthorizeUrl).origin],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  });
}
