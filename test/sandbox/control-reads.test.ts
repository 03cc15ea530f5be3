// The read-only control routes a caller in another process uses (the benchmark): HubSpot API calls counted by
// portal and operation, a thread's new messages (waited for), a ticket's properties.
import { afterEach, describe, expect, it } from 'vitest';
import { takeContractViolations } from './contract/audit';
import { callApi, createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox } from './index';

let sandbox: Sandbox;
afterEach(() => sandbox?.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const read = async (path: string): Promise<{ status: number; body: Json }> => {
  const res = await sandbox.app.request(path);
  return { status: res.status, body: (await res.json()) as Json };
};
const THREADS = '/conversations/v3/conversations/threads';

describe('GET /_sandbox/api-calls', () => {
  it('counts every API call by portal and contract operation, refused ones too, and not the control API', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    const a = sandbox.control.installApp({ portalId: 62515 }).accessToken;
    const other = sandbox.control.createPortal({ portalId: 777 });
    const b = sandbox.control.installApp({ portalId: other.portalId }).accessToken;
    const thread = sandbox.control.createThread({ portalId: 62515, contactId: '101', text: 'Hi' });

    expect((await callApi(sandbox, a, `${THREADS}/${thread.id}`)).status).toBe(200);
    expect((await callApi(sandbox, a, `${THREADS}/${thread.id}/messages`)).status).toBe(200);
    expect((await callApi(sandbox, a, `${THREADS}/${thread.id}/messages`)).status).toBe(200);
    expect((await callApi(sandbox, a, `${THREADS}/999999`)).status).toBe(404);
    expect((await callApi(sandbox, b, '/crm/v3/owners')).status).toBe(200);
    // Refused by the contract guard (an undocumented parameter): still a call the caller made.
    expect((await callApi(sandbox, b, '/crm/v3/owners?nonsense=1')).status).toBe(400);
    takeContractViolations(sandbox);
    await sandbox.app.request('/_sandbox/state');

    expect((await read('/_sandbox/api-calls')).body).toEqual({
      byPortal: { '62515': { 'threads.getById': 2, 'messages.list': 2 }, '777': { 'owners.list': 2 } },
    });
    expect((await read('/_sandbox/api-calls?portalId=777&portalId=1')).body).toEqual({ byPortal: { '777': { 'owners.list': 2 }, '1': {} } });

    sandbox.control.reset();
    expect((await read('/_sandbox/api-calls')).body).toEqual({ byPortal: {} });
  });

  it('counts OAuth endpoint calls under `none`', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    const { accessToken } = sandbox.control.installApp({ portalId: 62515 });
    expect((await sandbox.app.request(`/oauth/v1/access-tokens/${accessToken}`)).status).toBe(200);
    expect((await read('/_sandbox/api-calls?portalId=none')).body).toEqual({ byPortal: { none: { 'oauth.v1.accessToken': 1 } } });
  });
});

describe('GET /_sandbox/thread-messages', () => {
  it('lists the messages from `since` on, and with `waitMs` answers as soon as a message is added', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    sandbox.control.installApp({ portalId: 62515 });
    const thread = sandbox.control.createThread({ portalId: 62515, contactId: '101', text: 'Where is my order?' });

    const all = await read(`/_sandbox/thread-messages?portalId=62515&threadId=${thread.id}`);
    expect(all.body).toMatchObject({ threadId: thread.id, count: 1, messages: [{ type: 'MESSAGE', direction: 'INCOMING', text: 'Where is my order?' }] });

    const started = performance.now();
    const waiting = read(`/_sandbox/thread-messages?portalId=62515&threadId=${thread.id}&since=1&waitMs=5000`);
    setTimeout(() => sandbox.control.postAgentMessage({ portalId: 62515, threadId: thread.id, userId: 9586505, text: 'On its way' }), 50);
    const answered = await waiting;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(answered.body).toMatchObject({ count: 2, messages: [{ direction: 'OUTGOING', createdBy: 'A-9586505', text: 'On its way' }] });

    // Nothing new within waitMs: the answer comes after it, empty.
    expect((await read(`/_sandbox/thread-messages?portalId=62515&threadId=${thread.id}&since=2&waitMs=30`)).body).toMatchObject({ count: 2, messages: [] });
  });

  it('answers 404 for an unknown thread and 400 without its parameters', async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    expect((await read('/_sandbox/thread-messages?portalId=62515&threadId=404404')).status).toBe(404);
    expect((await read('/_sandbox/thread-messages?portalId=62515')).status).toBe(400);
  });
});

describe('GET /_sandbox/ticket', () => {
  it("returns a ticket's properties, threads and notes", async () => {
    sandbox = createSandbox({ projectDir: makeProjectDir() });
    const thread = sandbox.control.createThread({ portalId: 62515, contactId: '101' });
    const ticket = sandbox.control.createTicket({ portalId: 62515, subject: 'Parcel', threadId: thread.id });
    sandbox.control.setTicketOwner({ portalId: 62515, ticketId: ticket.id, ownerId: '52550154' });
    const { body } = await read(`/_sandbox/ticket?portalId=62515&ticketId=${ticket.id}`);
    expect(body).toMatchObject({ id: ticket.id, properties: { subject: 'Parcel', hubspot_owner_id: '52550154' }, threadIds: [thread.id], noteIds: [] });
    expect((await read('/_sandbox/ticket?portalId=62515&ticketId=1')).status).toBe(404);
  });
});
