import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';

/**
 * GET /healthz and GET /readyz: 200 when the database answers, 503 otherwise (load balancers take the instance
 * out). While the database is being opened and migrated, the server answers every request, these included, with
 * 503 (start-server.ts): the app does not exist yet.
 */
export function healthRoutes(deps: Pick<AppDeps, 'store'>) {
  const answer = async (c: Context<AppEnv>) => {
    try {
      await deps.store.ping();
    } catch (err) {
      throw new AppError('unavailable', 'The database is not answering', { cause: err });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const });
  };
  return new Hono<AppEnv>().get('/healthz', answer).get('/readyz', answer);
}
