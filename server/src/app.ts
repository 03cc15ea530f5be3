import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './deps';
import { AppError } from './errors';
import { logRequests } from './http/log-requests';
import { sendError } from './http/send-error';
import { actionRoutes } from './routes/actions';
import { cardRoutes } from './routes/card';
import { healthRoutes } from './routes/health';
import { oauthRoutes } from './routes/oauth';
import { settingsRoutes } from './routes/settings';
import { webhookRoutes } from './routes/webhooks';

/** HubSpot's webhook batches and action calls are a few kB; a megabyte leaves room without inviting abuse. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP application, built from its dependencies and nothing else: tests call `createApp(deps).request()`
 * on a temporary database; startServer serves the same app over HTTP.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(logRequests(deps.logger));
  app.use(secureHeaders());
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.route('/', healthRoutes(deps));
  app.route('/oauth', oauthRoutes(deps));
  app.route('/hubspot/webhooks', webhookRoutes(deps));
  app.route('/hubspot/actions', actionRoutes(deps));
  app.route('/', cardRoutes(deps));
  app.route('/settings', settingsRoutes(deps));

  // Both ends of every request that does not succeed go through the one mapper in errors.ts.
  app.notFound((c) => sendError(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`), deps.logger));
  app.onError((err, c) => sendError(c, err, deps.logger));
  return app;
}
