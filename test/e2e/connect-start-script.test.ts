import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/stack';
import { AdminBrowser, testIdAttribute } from './support/admin-browser';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = dir = undefined;
});

/** `npm start` (scripts/start.ts, run from the repository root like npm does) until it prints its sign-in link. */
async function npmStart(env: Record<string, string>): Promise<{ link: string; lines: string[] }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  const lines: string[] = [];
  for await (const line of createInterface({ input: started.stdout! })) {
    lines.push(line);
    const link = /(http:\/\/\S+\/admin\/sign-in\?token=\S+)/.exec(line)?.[1];
    if (link) return { link, lines };
  }
  throw new Error(`npm start ended without a sign-in link:\n${lines.join('\n')}`);
}

async function stop(): Promise<void> {
  child!.kill('SIGTERM');
  await once(child!, 'exit');
}

describe('npm start', () => {
  it('creates the demo organization and admin on the first run and prints a fresh one-time sign-in link on every run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencx-start-'));
    const port = await freePort();
    const env = { PORT: String(port), SANDBOX_PORT: String(await freePort()), DATABASE_PATH: join(dir, 'opencx.sqlite'), LOG_LEVEL: 'silent' };

    const first = await npmStart(env);
    expect(first.link.startsWith(`http://127.0.0.1:${port}/admin/sign-in?token=`)).toBe(true);
    expect(first.lines.join('\n')).toContain('admin@demo.opencx.local');
    const browser = new AdminBrowser();
    const signIn = await browser.open(first.link);
    expect(signIn.status).toBe(200);
    const settings = await browser.submit(signIn, '/admin/sign-in');
    expect(settings.status).toBe(200);
    expect(testIdAttribute(settings.html, 'integration-card', 'data-status')).toBe('not_connected');
    await stop();

    const second = await npmStart(env);
    expect(second.link).not.toBe(first.link);
    const again = await new AdminBrowser().open(first.link).then((page) => new AdminBrowser().submit(page, '/admin/sign-in'));
    expect(again.status).toBe(400); // the first link was used
    const fresh = new AdminBrowser();
    expect((await fresh.submit(await fresh.open(second.link), '/admin/sign-in')).status).toBe(200);
  }, 60_000);
});
