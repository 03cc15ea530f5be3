import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { npmStart, type NpmStart } from '../support/npm-start';
import { freePort } from '../support/stack';
import { AdminBrowser, testIdAttribute } from './support/admin-browser';

let dir: string | undefined;
let running: NpmStart | undefined;
afterEach(async () => {
  await running?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  running = dir = undefined;
});

const SIGN_IN_LINK = /(http:\/\/\S+\/admin\/sign-in\?token=\S+)/;

/** `npm start` against the local sandbox, until it prints its sign-in link. */
async function startWithSandbox(env: Record<string, string>): Promise<{ link: string; lines: string[] }> {
  running = npmStart(env);
  const [, link] = await running.waitForLine(SIGN_IN_LINK);
  return { link: link!, lines: running.lines };
}

describe('npm start', () => {
  it('creates the demo organization and admin on the first run and prints a fresh one-time sign-in link on every run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencx-start-'));
    const port = await freePort();
    const env = {
      PORT: String(port),
      SANDBOX_PORT: String(await freePort()),
      OPENCX_SANDBOX_PORT: String(await freePort()),
      DATABASE_PATH: join(dir, 'opencx.sqlite'),
      LOG_LEVEL: 'silent',
    };

    const first = await startWithSandbox(env);
    expect(first.link.startsWith(`http://127.0.0.1:${port}/admin/sign-in?token=`)).toBe(true);
    expect(first.lines.join('\n')).toContain('admin@demo.opencx.local');
    const browser = new AdminBrowser();
    const signIn = await browser.open(first.link);
    expect(signIn.status).toBe(200);
    const settings = await browser.submit(signIn, '/admin/sign-in');
    expect(settings.status).toBe(200);
    expect(testIdAttribute(settings.html, 'integration-card', 'data-status')).toBe('not_connected');
    // The demo organization answers through the OpenCX API stand-in started beside the sandbox.
    expect(first.lines.join('\n')).toContain(`OpenCX API stand-in: http://127.0.0.1:${env.OPENCX_SANDBOX_PORT}`);
    expect(testIdAttribute(settings.html, 'opencx-key', 'data-key-set')).toBe('yes');
    await running!.stop();

    const second = await startWithSandbox(env);
    expect(second.link).not.toBe(first.link);
    const again = await new AdminBrowser().open(first.link).then((page) => new AdminBrowser().submit(page, '/admin/sign-in'));
    expect(again.status).toBe(400); // the first link was used
    const fresh = new AdminBrowser();
    expect((await fresh.submit(await fresh.open(second.link), '/admin/sign-in')).status).toBe(200);
  }, 60_000);
});
