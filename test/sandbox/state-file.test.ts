// A sandbox kept in a file comes back after a restart with the same app, installs, tokens, tickets and threads, and
// hands out ids after the old ones: the server's database outlives the sandbox process and still holds them.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './index';
import { bearer } from './test-kit';

let dir: string;
let file: string;
const open: Sandbox[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  file = join(dir, 'data', 'hubspot-sandbox.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const start = (options: Parameters<typeof createSandbox>[0] = {}) => {
  const sandbox = createSandbox({ stateFile: file, ...options });
  open.push(sandbox);
  return sandbox;
};
const stop = async (sandbox: Sandbox) => {
  open.splice(open.indexOf(sandbox), 1);
  await sandbox.close();
};

describe('a sandbox on a state file', () => {
  it('comes back after a restart with the same credentials, install, tokens, tickets and threads, and new ids after the old ones', async () => {
    const first = start();
    expect(first.persistence.start).toBe('fresh');
    const { accessToken, refreshToken } = first.control.installApp({ portalId: 62515 });
    const thread = first.control.createThread({ portalId: 62515, contactId: '101', text: 'Where is my parcel?' });
    const ticket = first.control.createTicket({ portalId: 62515, subject: 'Parcel', contactId: '101', threadId: thread.id });
    first.control.setTicketOwner({ portalId: 62515, ticketId: ticket.id, ownerId: '52550153' });
    const credentials = first.appCredentials;
    const listening = await first.listen(0);
    // A change through HTTP (the page and the backend's way in) is saved too, not only in-process control calls.
    const viaHttp = await fetch(`${listening.url}/_sandbox/create-ticket`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ portalId: 62515, subject: 'Refund' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await listening.close();
    await stop(first);

    const second = start();
    expect(second.persistence.start).toBe('restored');
    expect(second.appCredentials).toEqual(credentials);
    const portal = second.state.portals['62515']!;
    expect(portal.install?.active).toBe(true);
    expect(portal.tickets[ticket.id]?.properties['hubspot_owner_id']).toBe('52550153');
    expect(portal.tickets[viaHttp.id]?.properties['subject']).toBe('Refund');
    expect(portal.threads[thread.id]?.messages.map((m) => m.text)).toEqual(['Where is my parcel?']);
    // The tokens issued before the restart still work, as HubSpot's would.
    const res = await second.app.request(`/crm/v3/objects/tickets/${ticket.id}`, { headers: bearer(accessToken) });
    expect(res.status).toBe(200);
    expect(second.state.refreshTokens[refreshToken]?.revoked).toBe(false);
    // The app's Webhooks Journal keeps the install across the restart (docs/hubspot-contract.md §1.5).
    expect(second.state.journal.map((e) => [e.action, e.portalId])).toEqual([['APP_INSTALL', 62515]]);

    const nextThread = second.control.createThread({ portalId: 62515, contactId: '101' });
    const nextTicket = second.control.createTicket({ portalId: 62515, subject: 'Another' });
    expect(Number(nextThread.id)).toBeGreaterThan(Number(thread.id));
    expect(Number(nextTicket.id)).toBeGreaterThan(Number(viaHttp.id));
  });

  it('keeps its id counters over a reset, so a reset cannot hand out a thread id the server still holds', async () => {
    const sandbox = start();
    const before = sandbox.control.createThread({ portalId: 62515, contactId: '101' });
    sandbox.control.reset();
    const after = sandbox.control.createThread({ portalId: 62515, contactId: sandbox.control.createContact({ portalId: 62515, email: 'x@example.com' }).id });
    expect(Number(after.id)).toBeGreaterThan(Number(before.id));
  });

  it('writes the file atomically, readable only by its owner, shortly after a change without waiting for close', async () => {
    const sandbox = start();
    sandbox.control.createTicket({ portalId: 62515, subject: 'Saved soon' });
    await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').includes('Saved soon'), { timeout: 2000 }).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'data')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says loudly that it starts empty when the file cannot be read, and keeps the bad file aside', async () => {
    const first = start();
    first.control.installApp({ portalId: 62515 });
    await stop(first);
    writeFileSync(file, '{"version":1,"app":'); // cut short, as by a full disk
    const lines: string[] = [];
    const second = start({ log: (line) => lines.push(line) });
    expect(second.persistence.start).toBe('reset');
    expect(second.state.portals['62515']?.install).toBeUndefined();
    expect(lines.join('\n')).toMatch(/STATE RESET: .*reconnect HubSpot/);
    expect(readdirSync(join(dir, 'data')).some((f) => f.startsWith('hubspot-sandbox.json.unreadable-'))).toBe(true);
  });

  it('stays in memory without a file', async () => {
    const sandbox = createSandbox();
    open.push(sandbox);
    sandbox.control.createTicket({ portalId: 62515, subject: 'Memory only' });
    await sandbox.close();
    open.pop();
    expect(sandbox.persistence).toEqual({ file: undefined, start: 'fresh' });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
