import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { notImplemented } from './not-implemented';

/**
 * Mounted at /hubspot/webhooks. To come: verify the v3 signature over the raw body (`await c.req.text()` first)
 * and PUBLIC_BASE_URL, parse the batch, store it in webhook_inbox in one transaction, answer 200.
 */
export function webhookRoutes(_deps: AppDeps) {
  return new Hono<AppEnv>().post('/', notImplemented('HubSpot webhook processing'));
}
