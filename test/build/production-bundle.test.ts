// `npm run build` + `npm run start:production`: the compiled server (one file, npm packages left as imports)
// starts with production's node flags, renders its server-side JSX, verifies signatures and stops cleanly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServerBundle, productionCommand, productionNodeFlags, REPO_DIR } from '../../scripts/build';
import { freePort } from '../support/stack';

// Inside the repository, so that the bundle's imports of npm packages resolve from node_modules.
const dir = mkdtempSync(join(REPO_DIR, 'test-artifacts', 'bundle-'));
const bundle = join(dir, 'main.js');
let url = '';
let child: ReturnType<typeof spawn>;
let output = '';

beforeAll(async () => {
  await buildServerBundle(join(REPO_DIR, 'server', 'src', 'main.ts'), bundle);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [...productionNodeFlags(), bundle], {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '',
      // What `npm run start:production` sets (NODE_ENV=production: config.ts `production`; MALLOC_ARENA_MAX).
      ...productionCommand().env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: url,
      DATA_DIR: dir,
      DATABASE_PATH: join(dir, 'opencx.sqlite'),
      LOG_LEVEL: 'warn',
      HUBSPOT_CLIENT_ID: 'bundle-test-client',
      HUBSPOT_CLIENT_SECRET: 'bundle-test-secret',
      HUBSPOT_APP_ID: '1',
      // Nothing listens there: this test never reaches HubSpot.
      HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
      HUBSPOT_AUTHORIZE_URL: 'http://127.0.0.1:9/oauth/authorize',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the bundled server did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 60_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the production bundle', () => {
  it('renders the settings pages from their JSX (signed out: the sign-in page, 401)', async () => {
    const res = await fetch(`${url}/settings/integrations/hubspot`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>$/i);
  });

  it('refuses an unsigned webhook with a JSON 401', async () => {
    const res = await fetch(`${url}/hubspot/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.anything() });
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
