import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { notImplemented } from './not-implemented';

/**
 * Mounted at /oauth. The Connect work fills these in: /install redirects to HubSpot's consent page with a signed
 * single-use state; /callback exchanges the code, introspects the token and saves the connection.
 */
export function oauthRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/install', notImplemented('The HubSpot OAuth install'))
    .get('/callback', notImplemented('The HubSpot OAuth callback'));
}
