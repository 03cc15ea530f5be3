import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../src/deps';
import { answerWebhooksFirst } from '../src/http/webhook-listener';

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/**
 * The app served over real HTTP on a free port, composed as startServer composes it (start-server.ts): webhook
 * deliveries answered by the Node listener, everything else by the app through @hono/node-server. For tests that
 * must hold both ways of answering a request to the same behaviour, on dependencies they built themselves.
 */
export async function serveOverHttp(deps: AppDeps, app: Hono<AppEnv>): Promise<ServedApp> {
  const server = createServer(answerWebhooksFirst({ deps: () => deps, leaveToApp: () => false, next: getRequestListener(app.fetch) }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
