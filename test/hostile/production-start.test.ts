// `NODE_ENV=production npm start` with real app credentials (the sandbox plays HubSpot, but npm start does not
// start it: it is production as far as the server can tell). It must create no demo organization and print no
// sign-in link; admins come from the admin CLI; and no bearer credential (a sign-in token, an OAuth code) reaches
// anything it prints, at the most verbose log level.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AdminBrowser, testIdAttribute } from '../e2e/support/admin-browser';
import { npmStart, REPO_ROOT, type NpmStart } from '../support/npm-start';
import { useSandboxedServer } from '../support/sandboxed-server';
import { withReadOnlyDb } from '../support/sqlite-readonly';
import { freePort } from '../support/stack';

const world = useSandboxedServer({ logLevel: 'trace' });
let running: NpmStart;
let env: Record<string, string>;
let serverUrl: string;

beforeAll(async () => {
  env = { ...world.env, NODE_ENV: 'production', PORT: String(await freePort()) };
  running = npmStart(env);
  serverUrl = (await running.waitForLine(/^OpenCX for HubSpot: (\S+)/))[1]!;
}, 40_000);

afterAll(async () => {
  await running?.stop();
});

const adminCli = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });

it('creates no demo organization and prints no sign-in link', async () => {
  // Whatever it prints once started is there by the time it answers.
  expect((await fetch(`${serverUrl}/healthz`)).status).toBe(200);
  const printed = running.lines.join('\n');
  expect(printed).not.toMatch(/sign-in\?token=/);
  expect(printed).not.toContain('HubSpot sandbox');
  expect(printed).toContain('npm run admin');
  const organizations = withReadOnlyDb(world.databasePath, (db) => db.prepare('SELECT id FROM organizations').all());
  expect(organizations).toEqual([]);
});

it('lets an admin from the admin CLI in, and no token or code it handles reaches the log', async () => {
  const { stdout } = await adminCli('create-org', '--name', 'Acme', '--admin-email', 'owner@acme.test');
  const link = /(http\S+\/admin\/sign-in\?token=(\S+))/.exec(stdout);
  expect(link, stdout).not.toBeNull();
  const token = link![2]!;

  const browser = new AdminBrowser();
  const settings = await browser.submit(await browser.open(link![1]!), '/admin/sign-in');
  expect(settings.status).toBe(200);
  expect(testIdAttribute(settings.html, 'integration-card', 'data-status')).toBe('not_connected');
  const cookies = [...(browser.cookies.get('127.0.0.1')?.values() ?? [])];
  expect(cookies.length).toBeGreaterThan(0);

  // A marketplace-style callback (no state): the code is exchanged at "HubSpot", which refuses it.
  const code = 'na1-0f0e-4bd3-a8c2-badc0de12345';
  const callback = await fetch(`${serverUrl}/oauth/callback?code=${code}`);
  expect(callback.status).toBe(400);

  const printed = running.lines.join('\n');
  expect(printed).toContain('admin signed in');
  for (const secret of [token, code, ...cookies]) expect(printed).not.toContain(secret);
  const errors = running.lines.filter((line) => /"level":"(error|fatal)"/.test(line));
  expect(errors).toEqual([]);
});
