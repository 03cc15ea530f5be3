// `npm start` twice on the same data folder: the second run finds HubSpot connected and the story still works (the
// sandbox kept its state beside the server's data), and a start on busy ports says which variable to change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../sandbox/index';
import { npmStart, type NpmStart } from '../support/npm-start';
import { freePort } from '../support/stack';
import { AdminBrowser, findForm, testIdAttribute } from './support/admin-browser';
import { clickConnect, DEMO_PORTAL, SETTINGS } from './support/connect-flow';

const SIGN_IN_LINK = /(http:\/\/\S+\/admin\/sign-in\?token=\S+)/;
const SANDBOX_LINE = /^HubSpot sandbox: (http:\/\/\S+)\//;
const JANE = { userId: 9586504, ownerId: '52550153' };

let dir: string | undefined;
const running: NpmStart[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(env: Record<string, string>) {
  const run = npmStart(env);
  running.push(run);
  const [, link] = await run.waitForLine(SIGN_IN_LINK);
  const [, sandboxUrl] = await run.waitForLine(SANDBOX_LINE);
  const browser = new AdminBrowser();
  const settings = await browser.submit(await browser.open(link!), '/admin/sign-in');
  expect(settings.url.endsWith(SETTINGS)).toBe(true);
  const control = async <T>(op: string, body: unknown): Promise<T> => {
    const res = await fetch(`${sandboxUrl}/_sandbox/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
  const state = async () => (await fetch(`${sandboxUrl}/_sandbox/state`).then((r) => r.json())) as SandboxState;
  return { run, browser, settings, control, state };
}
type Run = Awaited<ReturnType<typeof start>>;

const aiAnswered = async (r: Run, threadId: string) =>
  (await r.state()).portals[String(DEMO_PORTAL)]!.threads[threadId]!.messages.some((m) => m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');

describe('npm start, stopped and started again', () => {
  it('keeps HubSpot connected and the AI answering new conversations, with new thread ids', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencx-restart-'));
    const env = {
      PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()), OPENCX_SANDBOX_PORT: String(await freePort()),
      DATABASE_PATH: join(dir, 'opencx.sqlite'), LOG_LEVEL: 'silent',
    };

    const first = await start(env);
    const { consent } = await clickConnect(first.browser, first.settings);
    const form = findForm(consent.html, '/oauth/authorize')!;
    const connected = await first.browser.open(new URL('/oauth/authorize', consent.url).toString(), {
      form: { ...form.hidden, portal: String(DEMO_PORTAL), user: String(JANE.userId), decision: 'approve' },
    });
    expect(testIdAttribute(connected.html, 'integration-card', 'data-status')).toBe('connected');
    // Pick the demo's dedicated AI user as the AI sender, as the walk-through says.
    const aiUser = Object.values((await first.state()).portals[String(DEMO_PORTAL)]!.users).find((u) => u.email === 'opencx-ai@demo-helpdesk.example.com')!;
    const chosen = await first.browser.submit(connected, '/settings/integrations/hubspot/ai-user', { userId: String(aiUser.userId) });
    expect(testIdAttribute(chosen.html, 'ai-sender', 'data-ai-user-id')).toBe(String(aiUser.userId));
    const old = await first.control<{ id: string }>('create-thread', { portalId: DEMO_PORTAL, contactId: '101', text: 'Where is my order?' });
    await expect.poll(() => aiAnswered(first, old.id), { timeout: 15_000 }).toBe(true);
    // An agent takes the ticket: the old thread's session is paused in the server's database.
    const ticket = await first.control<{ id: string }>('create-ticket', { portalId: DEMO_PORTAL, subject: 'Order', contactId: '101', threadId: old.id });
    await first.control('set-ticket-owner', { portalId: DEMO_PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    const aiStatus = async (r: Run) => (await r.state()).portals[String(DEMO_PORTAL)]!.tickets[ticket.id]!.properties['opencx_ai_status'];
    await expect.poll(() => aiStatus(first), { timeout: 15_000 }).toBe('paused');
    await first.run.stop();

    const second = await start(env);
    expect(testIdAttribute(second.settings.html, 'integration-card', 'data-status')).toBe('connected');
    expect(second.run.lines.join('\n')).toContain('state restored from');
    expect(await aiStatus(second)).toBe('paused');
    const fresh = await second.control<{ id: string }>('create-thread', { portalId: DEMO_PORTAL, contactId: '101', text: 'Where is my order?' });
    expect(Number(fresh.id)).toBeGreaterThan(Number(old.id));
    await expect.poll(() => aiAnswered(second, fresh.id), { timeout: 15_000 }).toBe(true);
  }, 90_000);

  it('names the variable to change when a port is busy, in one line and without a stack trace', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opencx-busy-'));
    const env = {
      PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()), OPENCX_SANDBOX_PORT: String(await freePort()),
      DATABASE_PATH: join(dir, 'opencx.sqlite'), LOG_LEVEL: 'silent',
    };
    await start(env);

    const sandboxBusy = npmStart(env);
    running.push(sandboxBusy);
    await expect(sandboxBusy.waitForLine(/never printed/)).rejects.toThrow(/exited/);
    expect(sandboxBusy.lines).toEqual([`Port ${env.SANDBOX_PORT} is in use (sandbox); set SANDBOX_PORT to another port`]);

    const serverBusy = npmStart({ ...env, SANDBOX_PORT: String(await freePort()), OPENCX_SANDBOX_PORT: String(await freePort()) });
    running.push(serverBusy);
    await expect(serverBusy.waitForLine(/never printed/)).rejects.toThrow(/exited/);
    // The sandbox started first and printed its URLs; then the one line, and nothing like a stack trace.
    expect(serverBusy.lines.at(-1)).toBe(`Port ${env.PORT} is in use (server); set PORT to another port`);
    expect(serverBusy.lines.filter((l) => /^\s+at |Error/.test(l))).toEqual([]);
  }, 90_000);
});
