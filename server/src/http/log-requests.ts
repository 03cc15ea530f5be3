import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../deps';
import type { Logger } from '../logger';

// Health checks arrive every few seconds; at info they would drown the log.
const QUIET_PATHS = new Set(['/healthz']);

/**
 * Gives each request a child logger carrying its id, and logs one line when it ends. The path is logged without
 * its query string: OAuth callbacks carry the authorization code there.
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
    if (QUIET_PATHS.has(c.req.path)) requestLogger.debug(line, 'request');
    else requestLogger.info(line, 'request');
  };
}
