import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppDeps, AppEnv } from './deps';
import { adminRoutes } from './admin/admin-routes';
import { AppError } from './errors';
import { limitBody } from './http/limit-body';
import { logRequests } from './http/log-requests';
import { securityHeaders } from './http/security-headers';
import { sendError } from './http/send-error';
import { actionRoutes } from './routes/actions';
import { cardRoutes } from './routes/card';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { oauthRoutes } from './routes/oauth';
import { settingsRoutes } from './routes/settings';
import { legacyWebhookRoutes } from './routes/legacy-webhooks';
import { WEBHOOK_PATH, webhookRoutes } from './routes/webhooks';

/** HubSpot's webhook batches and action calls are a few kB; a megabyte leaves room without inviting abuse. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP application, built from its dependencies and nothing else: tests call `createApp(deps).request()`
 * on a temporary database; startServer serves the same app over HTTP.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // HubSpot's webhook intake is the hot path (thousands of deliveries a second): it is mounted before the
  // per-request middleware (request id, child logger, security headers for browsers), which would double its cost,
  // and applies its own body limit. Its errors still go through onError below.
  app.route(WEBHOOK_PATH, webhookRoutes(deps));
  app.use(requestId());
  app.use(logRequests(deps.logger));
  app.use(securityHeaders(deps.config));
  app.use(limitBody(MAX_BODY_BYTES));

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/oauth', oauthRoutes(deps));
  app.route('/hubspot/actions', actionRoutes(deps));
  app.route('/hubspot/webhooks/legacy', legacyWebhookRoutes(deps));
  app.route('/', cardRoutes(deps));
  app.route('/settings', settingsRoutes(deps));
  app.route('/admin', adminRoutes(deps));

  // Both ends of every request that does not succeed go through the one mapper in errors.ts.
  app.notFound((c) => sendError(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`), deps.logger));
  app.onError((err, c) => sendError(c, err, deps.logger));
  return app;
}
