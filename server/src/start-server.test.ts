import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from './config';
import { createSilentLogger } from './logger';
import { startServer } from './start-server';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opencx-server-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const configFor = (env: Record<string, string> = {}) =>
  loadConfig({ PORT: '0', DATABASE_PATH: join(dir, 'opencx.sqlite'), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), ...env });

it('serves on a free port, follows it in the default public URL, and closes cleanly', async () => {
  const server = await startServer(configFor(), { logger: createSilentLogger() });
  expect(server.port).toBeGreaterThan(0);
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  expect(server.deps.config.publicBaseUrl).toBe(server.url);

  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });

  await server.close();
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});

it('keeps an explicit PUBLIC_BASE_URL', async () => {
  const server = await startServer(configFor({ PUBLIC_BASE_URL: 'https://opencx.example.com' }), { logger: createSilentLogger() });
  try {
    expect(server.deps.config.publicBaseUrl).toBe('https://opencx.example.com');
  } finally {
    await server.close();
  }
});

it('lets an in-flight request finish, and stops workers before closing the database', async () => {
  const server = await startServer(configFor(), { logger: createSilentLogger() });
  const order: string[] = [];
  server.lifecycle.onShutdown('test-worker', async () => {
    // Still able to use the database while stopping.
    await server.deps.store.ping();
    order.push('worker stopped');
  });

  // A request whose body is still arriving when shutdown starts.
  const response = new Promise<number>((resolve, reject) => {
    const req = request(`${server.url}/hubspot/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write('{"partial":');
    setTimeout(() => req.end('true}'), 100);
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  const closed = server.close().then(() => order.push('closed'));

  // The route's own answer (503: no HubSpot app configured to verify the signature), not a cut connection.
  expect(await response).toBe(503);
  await closed;
  expect(order).toEqual(['worker stopped', 'closed']);
  expect(server.lifecycle.signal.aborted).toBe(true);
});

it('fails to start, releasing the database, when the port is taken', async () => {
  const first = await startServer(configFor(), { logger: createSilentLogger() });
  try {
    await expect(
      startServer(loadConfig({ PORT: String(first.port), DATABASE_PATH: join(dir, 'second.sqlite'), TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') }), {
        logger: createSilentLogger(),
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  } finally {
    await first.close();
  }
});

it('answers /readyz with 503 once the database cannot be reached', async () => {
  const server = await startServer(configFor(), { logger: createSilentLogger() });
  try {
    const ping = server.deps.store.ping;
    server.deps.store.ping = async () => {
      throw new Error('database unreachable');
    };
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    server.deps.store.ping = ping;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  } finally {
    await server.close();
  }
});
