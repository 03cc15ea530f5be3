import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeContractViolations } from './contract/audit';
import { bearer, callApi, createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox } from './index';

let sandbox: Sandbox;
let token: string;
let ticketId: string;
const PORTAL = 62515;

const call = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => callApi(sandbox, init.token ?? token, path, init);

beforeAll(() => {
  sandbox = createSandbox({ projectDir: makeProjectDir() });
  token = sandbox.control.installApp({ portalId: PORTAL }).accessToken;
  const thread = sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'Hello, my order is late' });
  ticketId = sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order late', contactId: '101', threadId: thread.id }).id;
});
afterAll(() => sandbox.close());

describe('tickets', () => {
  it('GET returns a SimplePublicObject with string properties and associations', async () => {
    const res = await call(`/crm/v3/objects/tickets/${ticketId}?properties=subject,hubspot_owner_id,hs_pipeline_stage,nope&associations=contacts`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ticketId, archived: false, createdAt: expect.any(String), updatedAt: expect.any(String),
      properties: { subject: 'Order late', hubspot_owner_id: null, hs_pipeline_stage: '1', hs_object_id: ticketId, createdate: expect.any(String), hs_lastmodifieddate: expect.any(String) },
      associations: { contacts: { results: [{ id: '101', type: 'ticket_to_contact' }] } },
    });
    expect(res.body.properties).not.toHaveProperty('nope');
    expect(res.headers.get('X-HubSpot-RateLimit-Max')).toBe('110');
  });

  it('works through @hubspot/api-client with basePath', async () => {
    const client = new Client({ basePath: (await sandbox.listen(0)).url, accessToken: token });
    const ticket = await client.crm.tickets.basicApi.getById(ticketId, ['subject']);
    expect(ticket.properties['subject']).toBe('Order late');
    const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 10);
    expect(owners.results.map((o) => o.id)).toEqual(['52550153', '52550154']);
  });

  it('PATCH validates owner ids and property names, and bumps hs_lastmodifieddate', async () => {
    const before = sandbox.state.portals[PORTAL]!.tickets[ticketId]!.properties['hs_lastmodifieddate'];
    await new Promise((r) => setTimeout(r, 5));
    const ok = await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { hubspot_owner_id: '52550153' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.properties.hubspot_owner_id).toBe('52550153');
    expect(ok.body.properties.hs_lastmodifieddate).not.toBe(before);

    const badOwner = await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { hubspot_owner_id: '9586504' } } });
    expect(badOwner.status).toBe(400);
    expect(badOwner.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    expect(badOwner.body.message).toContain('INVALID_OWNER_ID');

    const unknown = await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { ai_status: 'paused' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('PROPERTY_DOESNT_EXIST');

    const cleared = await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { hubspot_owner_id: '' } } });
    expect(cleared.body.properties.hubspot_owner_id).toBe('');
  });

  it('search filters with EQ and pages with after', async () => {
    for (let i = 0; i < 3; i++) sandbox.control.createTicket({ portalId: PORTAL, subject: `Bulk ${i}`, pipelineStage: '2' });
    const first = await call('/crm/v3/objects/tickets/search', { method: 'POST', body: { filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'EQ', value: '2' }] }], properties: ['subject'], limit: 2 } });
    expect(first.body.total).toBe(3);
    expect(first.body.results).toHaveLength(2);
    const second = await call('/crm/v3/objects/tickets/search', { method: 'POST', body: { filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'EQ', value: '2' }] }], limit: 2, after: first.body.paging.next.after } });
    expect(second.body.results).toHaveLength(1);
    expect(second.body.paging).toBeUndefined();
    expect((await call('/crm/v3/objects/tickets/search', { method: 'POST', body: { limit: 201 } })).status).toBe(400);
  });

  it('unknown tickets answer HubSpot\'s 404 body', async () => {
    const res = await call('/crm/v3/objects/tickets/999');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 'error', message: expect.any(String), correlationId: expect.any(String), category: 'OBJECT_NOT_FOUND' });
  });
});

describe('ticket properties', () => {
  const aiStatus = {
    name: 'ai_status', label: 'AI status', type: 'enumeration', fieldType: 'select', groupName: 'ticketinformation',
    options: [{ label: 'Active', value: 'active', displayOrder: 0 }, { label: 'Paused', value: 'paused', displayOrder: 1 }],
  };
  it('404 before creation, 201 on create, 409 on duplicate, then settable with option checks', async () => {
    expect((await call('/crm/v3/properties/tickets/ai_status')).status).toBe(404);
    const created = await call('/crm/v3/properties/tickets', { method: 'POST', body: aiStatus });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ai_status', type: 'enumeration', options: [{ value: 'active' }, { value: 'paused' }] });
    const dup = await call('/crm/v3/properties/tickets', { method: 'POST', body: aiStatus });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });
    expect((await call('/crm/v3/properties/tickets/ai_status')).body.name).toBe('ai_status');
    expect((await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { ai_status: 'paused' } } })).status).toBe(200);
    expect((await call(`/crm/v3/objects/tickets/${ticketId}`, { method: 'PATCH', body: { properties: { ai_status: 'sleepy' } } })).status).toBe(400);
  });
});

describe('owners, notes, contacts', () => {
  it('owners list by email and get by id or userId', async () => {
    const list = await call('/crm/v3/owners/?email=sam.support@example.com&limit=100');
    expect(list.body.results).toEqual([expect.objectContaining({ id: '52550154', email: 'sam.support@example.com', userId: 9586505, userIdIncludingInactive: 9586505, archived: false, teams: expect.any(Array) })]);
    expect((await call('/crm/v3/owners/52550153')).body).toMatchObject({ firstName: 'Jane', lastName: 'Agent', userId: 9586504 });
    expect((await call('/crm/v3/owners/9586504?idProperty=userId')).body.id).toBe('52550153');
    expect((await call('/crm/v3/owners/1')).status).toBe(404);
  });

  it('notes need hs_timestamp, associate to tickets with type 228, and are kept per ticket', async () => {
    const missing = await call('/crm/v3/objects/notes', { method: 'POST', body: { properties: { hs_note_body: 'x' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.category).toBe('VALIDATION_ERROR');
    const body = {
      properties: { hs_timestamp: '2024-08-15T17:09:13.648Z', hs_note_body: '<p>AI paused by agent</p>' },
      associations: [{ to: { id: ticketId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 228 }] }],
    };
    const created = await call('/crm/v3/objects/notes', { method: 'POST', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), archived: false, properties: { hs_note_body: '<p>AI paused by agent</p>', hs_timestamp: '2024-08-15T17:09:13.648Z' } });
    expect((await call(`/crm/v3/objects/notes/${created.body.id}`)).body.properties.hs_note_body).toBe('<p>AI paused by agent</p>');
    expect(sandbox.control.notesForTicket({ portalId: PORTAL, ticketId }).map((n) => n.id)).toEqual([created.body.id]);
    const badAssoc = await call('/crm/v3/objects/notes', { method: 'POST', body: { ...body, associations: [{ to: { id: ticketId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }] }] } });
    expect(badAssoc.status).toBe(400);
  });

  it('contacts return email and names', async () => {
    expect((await call('/crm/v3/objects/contacts/101')).body).toMatchObject({ id: '101', properties: { email: 'chris.customer@example.com', firstname: 'Chris', lastname: 'Customer' } });
  });
});

describe('auth, scopes and isolation', () => {
  it('401 without a token', async () => {
    const res = await sandbox.app.request('/crm/v3/objects/tickets/1');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', message: expect.stringContaining('Authentication credentials not found'), correlationId: expect.any(String), category: 'INVALID_AUTHENTICATION' });
  });

  it('403 MISSING_SCOPES when the grant lacks the scope', async () => {
    const other = createSandbox({ projectDir: makeProjectDir() });
    const { accessToken } = other.control.installApp({ portalId: PORTAL, scopes: ['oauth', 'tickets'] });
    const res = await other.app.request('/crm/v3/owners', { headers: bearer(accessToken) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'MISSING_SCOPES', correlationId: expect.any(String) });
    expect((await other.app.request('/conversations/v3/conversations/actors/A-9586504', { headers: bearer(accessToken) })).status).toBe(403);
    expect((await other.app.request('/automation/v4/actions/callbacks/x/complete', { method: 'POST', headers: bearer(accessToken), body: '{}' })).status).toBe(403);
    expect(takeContractViolations(other).map((v) => v.kind)).toEqual(['missing_scope', 'missing_scope', 'missing_scope']);
    await other.close();
  });

  it('a token for one portal never sees another portal\'s objects', async () => {
    sandbox.control.createPortal({ portalId: 777001, name: 'Other' });
    const otherToken = sandbox.control.installApp({ portalId: 777001 }).accessToken;
    const res = await call(`/crm/v3/objects/tickets/${ticketId}`, { token: otherToken });
    expect(res.status).toBe(404);
    const thread = sandbox.state.portals[PORTAL]!.tickets[ticketId]!.threadIds[0]!;
    expect((await call(`/conversations/v3/conversations/threads/${thread}`, { token: otherToken })).status).toBe(404);
  });
});
