import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps';
import type { Logger } from '../logger';

/**
 * Gives each request a child logger carrying its id, and logs one line when it ends, at debug: webhooks, card
 * fetches and health checks arrive every few seconds, and at info their lines drowned what an operator needs
 * (`npm start` showed little else). A failing request is still logged at info or error by http/send-error.ts.
 * The path is logged without its query string: OAuth callbacks carry the authorization code there.
 */
export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestLogger = logger.child({ requestId: c.get('requestId') });
    c.set('logger', requestLogger);
    await next();
    const line = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    requestLogger.debug(line, 'request');
  };
}
