import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';

/** GET /healthz: 200 when the database answers, 503 otherwise (load balancers take the instance out). */
export function healthRoutes(deps: Pick<AppDeps, 'store'>) {
  return new Hono<AppEnv>().get('/healthz', async (c) => {
    try {
      await deps.store.ping();
    } catch (err) {
      throw new AppError('unavailable', 'The database is not answering', { cause: err });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const });
  });
}
