// The sandbox holds callers to HubSpot's published contract (contract/operations.ts): it serves only the
// operations of the table, refuses a missing scope as HubSpot does and refuses what HubSpot would silently
// ignore, and it answers with the documented defaults. Each case here is a mistake the server once made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeContractViolations } from './contract/audit';
import { HUBSPOT_CONTRACT, isApiPath } from './contract/operations';
import { callApi, createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox, SandboxThread } from './index';

let sandbox: Sandbox;
let token: string;
let thread: SandboxThread;
let ticketId: string;
const PORTAL = 62515;
const THREADS = '/conversations/v3/conversations/threads';

const call = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => callApi(sandbox, init.token ?? token, path, init);

beforeAll(() => {
  sandbox = createSandbox({ projectDir: makeProjectDir() });
  token = sandbox.control.installApp({ portalId: PORTAL }).accessToken;
  thread = sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'first' });
  sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: 'second' });
  sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: 'third' });
  ticketId = sandbox.control.createTicket({ portalId: PORTAL, subject: 'Parcel', threadId: thread.id }).id;
});
afterAll(() => sandbox.close());

describe('the contract table', () => {
  it('is exactly what the sandbox serves under HubSpot API paths', () => {
    const served = sandbox.app.routes
      .filter((r) => r.method !== 'ALL' && isApiPath(r.path))
      .map((r) => `${r.method} ${r.path}`);
    const table = HUBSPOT_CONTRACT.map((op) => `${op.method} ${op.path}`);
    expect(new Set(served)).toEqual(new Set(table));
    expect(new Set(table).size).toBe(table.length); // one row per operation
  });

  it('names a source for every operation and a scope for every bearer operation', () => {
    for (const op of HUBSPOT_CONTRACT) {
      expect(op.source, op.id).toMatch(/^https:\/\//);
      if (op.auth === 'bearer') expect(op.scopes.length, op.id).toBeGreaterThan(0);
    }
  });

  it('a route HubSpot does not document is a 404 and a recorded violation', async () => {
    const res = await call(`/crm/v3/objects/tickets/${ticketId}/conversations`);
    expect(res.status).toBe(404);
    expect(takeContractViolations(sandbox)).toEqual([expect.objectContaining({ kind: 'not_in_contract', method: 'GET' })]);
  });
});

describe('scopes', () => {
  it('a note needs crm.objects.contacts.write: with `tickets` alone HubSpot answers 403 MISSING_SCOPES', async () => {
    const ticketsOnly = sandbox.control.installApp({ portalId: PORTAL, scopes: ['oauth', 'tickets'] }).accessToken;
    const note = {
      properties: { hs_timestamp: new Date().toISOString(), hs_note_body: 'handoff' },
      associations: [{ to: { id: ticketId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 }] }],
    };
    const refused = await call('/crm/v3/objects/notes', { method: 'POST', body: note, token: ticketsOnly });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      status: 'error', category: 'MISSING_SCOPES',
      errors: [{ context: { requiredGranularScopes: ['crm.objects.contacts.write'] } }],
    });
    expect(takeContractViolations(sandbox)).toEqual([expect.objectContaining({ kind: 'missing_scope', path: '/crm/v3/objects/notes' })]);

    const granted = sandbox.control.installApp({ portalId: PORTAL, scopes: ['oauth', 'tickets', 'crm.objects.contacts.write'] }).accessToken;
    expect((await call('/crm/v3/objects/notes', { method: 'POST', body: note, token: granted })).status).toBe(201);
    token = sandbox.control.installApp({ portalId: PORTAL }).accessToken;
  });

  it('an install without named scopes grants exactly what the app file asks for', () => {
    const install = sandbox.state.portals[String(PORTAL)]!.install!;
    expect(new Set(install.scopes)).toEqual(new Set(['oauth', 'tickets', 'conversations.read', 'conversations.write',
      'crm.objects.owners.read', 'crm.objects.contacts.read', 'automation', 'crm.objects.contacts.write']));
  });
});

describe('threads and their ticket', () => {
  it('a thread shows its ticket only when read with association=TICKET', async () => {
    const plain = await call(`${THREADS}/${thread.id}`);
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('threadAssociations');
    const asked = await call(`${THREADS}/${thread.id}?association=TICKET`);
    expect(asked.body).toMatchObject({ id: thread.id, threadAssociations: { associatedTicketId: ticketId } });
  });

  it('the threads of a ticket come from GET threads?associatedTicketId', async () => {
    const other = sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'unrelated' });
    const res = await call(`${THREADS}?associatedTicketId=${ticketId}`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((t: { id: string }) => t.id)).toEqual([thread.id]);
    expect(res.body.results.map((t: { id: string }) => t.id)).not.toContain(other.id);
  });

  it('a ticket read with associations=conversations is refused: HubSpot would ignore it and return no threads', async () => {
    const res = await call(`/crm/v3/objects/tickets/${ticketId}?associations=conversations`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Sandbox strict mode: .*conversations.*associatedTicketId/);
    expect(takeContractViolations(sandbox)).toEqual([expect.objectContaining({ kind: 'undocumented_value' })]);
  });
});

describe('messages', () => {
  it('are listed newest first by default and oldest first with sort=createdAt', async () => {
    const texts = async (query: string) =>
      (await call(`${THREADS}/${thread.id}/messages${query}`)).body.results.map((m: { text: string }) => m.text);
    expect(await texts('')).toEqual(['third', 'second', 'first']);
    expect(await texts('?sort=-createdAt')).toEqual(['third', 'second', 'first']);
    expect(await texts('?sort=createdAt')).toEqual(['first', 'second', 'third']);
  });

  it('a sent message is 201', async () => {
    const incoming = thread.messages[0]!;
    const sent = await call(`${THREADS}/${thread.id}/messages`, {
      method: 'POST',
      body: { type: 'MESSAGE', text: 'Hi', attachments: [], senderActorId: 'A-9586504', channelId: incoming.channelId, channelAccountId: incoming.channelAccountId },
    });
    expect(sent.status).toBe(201);
  });
});

describe('query parameters', () => {
  it('one HubSpot does not document is refused, saying the sandbox is strict', async () => {
    const res = await call(`${THREADS}/${thread.id}/messages?order=asc`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(res.body.message).toMatch(/^Sandbox strict mode: HubSpot does not document the query parameter "order".*ignore it silently/);
    expect(takeContractViolations(sandbox)).toEqual([expect.objectContaining({ kind: 'undocumented_parameter', detail: expect.stringContaining('sort') })]);
  });

  it('a value outside a documented enumeration is refused', async () => {
    const res = await call(`${THREADS}/${thread.id}?association=CONTACT`);
    expect(res.status).toBe(400);
    expect(takeContractViolations(sandbox)).toEqual([expect.objectContaining({ kind: 'undocumented_value' })]);
  });

  it('documented defaults apply: owners are not archived unless asked', async () => {
    const owners = Object.values(sandbox.state.portals[String(PORTAL)]!.owners);
    owners[0]!.archived = true;
    const listed = (await call('/crm/v3/owners')).body.results.map((o: { id: string }) => o.id);
    expect(listed).not.toContain(owners[0]!.id);
    expect((await call(`/crm/v3/owners/${owners[0]!.id}`)).status).toBe(404);
    expect((await call(`/crm/v3/owners/${owners[0]!.id}?archived=true`)).status).toBe(200);
    owners[0]!.archived = false;
  });
});
