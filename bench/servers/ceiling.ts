// The ceiling: a bare Hono hello-world on @hono/node-server, in its own process like the real server. It answers
// every method and path with a short text and never reads the body, so the load generator can drive it with
// exactly the requests the real server gets (same sizes, same signing cost on the client side).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const app = new Hono();
app.all('*', (c) => c.text('Hello Hono!'));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env['PORT'] ?? 0) }, (info: AddressInfo) => {
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
