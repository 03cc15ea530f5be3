import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app';
import { systemClock, type Clock } from './clock';
import { redactDatabaseUrl, type Config } from './config';
import type { AppDeps, AppEnv } from './deps';
import { capConnections, serverTimeouts } from './http/connection-caps';
import { answerWebhooksFirst } from './http/webhook-listener';
import { createLifecycle, type Lifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import type { PortalRateLimiterOptions } from './hubspot';
import { noticeAiAtStart } from './ai/opencx-api';
import { createServices, type Services } from './services';
import { openConfiguredStore } from './store/open-store';
import { startBackgroundWork, type BackgroundWorkOptions } from './workers';

export interface RunningServer {
  /** The base URL the server answers on, with the port actually bound (useful with PORT=0). */
  url: string;
  port: number;
  deps: AppDeps;
  lifecycle: Lifecycle;
  /** Stops accepting connections, lets in-flight requests finish, stops workers, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** How long in-flight requests get before their connections are cut. */
  drainTimeoutMs?: number;
  /** Replace some of the outside world (e.g. the AI) in tests. */
  services?: Partial<Services>;
  /** Poll intervals and backoffs of the background workers (tests shorten them). */
  workers?: BackgroundWorkOptions;
  /** The per-portal HubSpot budget (tests shrink it to reach it quickly); default 110 requests per 10 s. */
  hubspotRateLimit?: PortalRateLimiterOptions;
}

/** Opens the store, serves the app and starts background work; used by main.ts and local launchers. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;

  // The app needs the bound port (PUBLIC_BASE_URL follows it when PORT=0), so it is created after listening; and
  // the store is opened (and migrated, which may take a while) after listening too, so that /readyz and every
  // other request answer 503 meanwhile instead of the connection being refused.
  let app: Hono<AppEnv> | null = null;
  let deps: AppDeps | null = null;
  // What @hono/node-server's serve() does, with HubSpot's webhook deliveries answered ahead of the Web
  // Request/Response adapter (http/webhook-listener.ts).
  const appListener = getRequestListener(
    (request, env) => {
      if (caps.isRefused((env.incoming as IncomingMessage | undefined)?.socket)) return caps.refusal();
      return app ? app.fetch(request, env) : new Response('Starting', { status: 503 });
    },
    { hostname: config.host },
  );
  const server = createServer(
    serverTimeouts(config.http),
    answerWebhooksFirst({ deps: () => deps, leaveToApp: (req) => caps.isRefused(req.socket), next: appListener }),
  );
  server.listen(config.port, config.host);
  // Counted from the first connection: listen() only starts listening, and none can arrive before this line.
  const caps = capConnections(server, config.http);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err))]);
  let store: Awaited<ReturnType<typeof openConfiguredStore>>;
  try {
    store = await openConfiguredStore(config, logger, clock.now());
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  const effectiveConfig: Config = config.publicBaseUrlIsDefault
    ? { ...config, port, publicBaseUrl: `http://127.0.0.1:${port}` }
    : { ...config, port };
  const base = { config: effectiveConfig, store, clock, logger };
  const lifecycle = createLifecycle(logger);
  const services = createServices({ ...base, stopSignal: lifecycle.signal, ...(options.hubspotRateLimit ? { rateLimit: options.hubspotRateLimit } : {}) });
  deps = { ...base, ...services, ...options.services };
  app = createApp(deps);
  startBackgroundWork({ ...deps, lifecycle }, options.workers);
  const database = config.databaseUrl === null ? { sqlite: config.databasePath } : { postgres: redactDatabaseUrl(config.databaseUrl) };
  logger.info({ host: config.host, port, publicBaseUrl: effectiveConfig.publicBaseUrl, ...database }, 'server listening');
  await noticeAiAtStart(deps);

  let closing: Promise<void> | null = null;
  const close = async () => {
    const drainHttp = new Promise<void>((resolve) => {
      // Keep-alive connections would hold close() open until the client gives up: close each as soon as it is
      // idle (in-flight requests finish first), and cut the rest after the drain timeout.
      const closeIdle = () => ('closeIdleConnections' in server ? server.closeIdleConnections() : undefined);
      const sweeper = setInterval(closeIdle, 50);
      const deadline = setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, options.drainTimeoutMs ?? 10_000);
      server.close(() => {
        clearInterval(sweeper);
        clearTimeout(deadline);
        resolve();
      });
      closeIdle();
    });
    await Promise.all([drainHttp, lifecycle.shutdown()]);
    await store.close();
    logger.info('server stopped');
  };

  return {
    url: `http://${urlHost(config.host)}:${port}`,
    port,
    deps,
    lifecycle,
    close: () => (closing ??= close()),
  };
}

/** A wildcard bind address is not something a client can connect to; loopback reaches it. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
