import { Hono } from 'hono';
import { safeEqual } from '../admin/secret-token';
import type { AppDeps, AppEnv } from '../deps';
import { AppError } from '../errors';

/**
 * GET /metrics: the Prometheus text format, for a scraper holding METRICS_TOKEN (`Authorization: Bearer …`).
 * Off (404) when no token is configured: queue depths and call counts are nobody else's business.
 */
export function metricsRoutes(deps: Pick<AppDeps, 'config' | 'metrics'>) {
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const expected = deps.config.metricsToken;
    if (expected === null) throw new AppError('not_found', 'Metrics are off: set METRICS_TOKEN to serve them');
    const sent = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
    if (!safeEqual(sent, expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthenticated', 'GET /metrics needs the METRICS_TOKEN as a bearer token');
    }
    const body = await deps.metrics.render();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
}
