import type { Clock } from './clock';
import type { Config } from './config';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import type { Services } from './services';
import type { Store } from './store/store';

/**
 * Everything a route or service may use, created once and passed in (never imported as a singleton), so that
 * each test builds its own app on its own database. The outside world (HubSpot, the AI) comes in as `Services`.
 */
export interface AppDeps extends Services {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
}

/** What a background worker uses: the app's dependencies and the server's lifecycle (stop signal, shutdown steps). */
export interface WorkerDeps extends AppDeps {
  lifecycle: Lifecycle;
}

/** Hono's per-request variables: set by app.ts middleware, read by routes as `c.var.requestId`, `c.var.logger`. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** A child of deps.logger carrying the request id. */
    logger: Logger;
  };
}
