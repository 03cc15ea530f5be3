import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createSandbox, makeProjectDir } from './test-kit';
import type { Sandbox, SandboxThread } from './index';

let sandbox: Sandbox;
let token: string;
let chat: SandboxThread;
let email: SandboxThread;
const PORTAL = 62515;
const BASE = '/conversations/v3/conversations';

const call = async (path: string, method = 'GET', body?: unknown) => {
  const res = await sandbox.app.request(path, {
    method, headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

beforeAll(() => {
  sandbox = createSandbox({ projectDir: makeProjectDir() });
  token = sandbox.control.installApp({ portalId: PORTAL }).accessToken;
  chat = sandbox.control.createThread({ portalId: PORTAL, contactId: '101', text: 'Where is my parcel?' });
  email = sandbox.control.createThread({ portalId: PORTAL, contactId: '101', channel: 'EMAIL', text: 'Refund please', subject: 'Refund' });
  sandbox.control.createTicket({ portalId: PORTAL, subject: 'Parcel', threadId: chat.id });
});
afterAll(() => sandbox.close());

describe('threads', () => {
  it('GET returns the thread with channel, contact and assignee', async () => {
    sandbox.control.assignThread({ portalId: PORTAL, threadId: chat.id, userId: 9586505 });
    const res = await call(`${BASE}/threads/${chat.id}`);
    expect(res.body).toMatchObject({
      id: chat.id, status: 'OPEN', originalChannelId: '1000', originalChannelAccountId: expect.any(String), inboxId: expect.any(String),
      associatedContactId: '101', archived: false, spam: false, assignedTo: 'A-9586505', createdAt: expect.any(String), latestMessageTimestamp: expect.any(String),
    });
    expect(res.body).not.toHaveProperty('threadAssociations'); // only when asked for, below
    expect((await call(`${BASE}/threads/${chat.id}?association=TICKET`)).body).toMatchObject({ threadAssociations: { associatedTicketId: expect.any(String) } });
    sandbox.control.assignThread({ portalId: PORTAL, threadId: chat.id, userId: null });
    expect((await call(`${BASE}/threads/${chat.id}`)).body.assignedTo).toBeUndefined();
  });

  it('PATCH accepts only status', async () => {
    expect((await call(`${BASE}/threads/${email.id}`, 'PATCH', { status: 'CLOSED' })).body).toMatchObject({ status: 'CLOSED', closedAt: expect.any(String) });
    expect((await call(`${BASE}/threads/${email.id}`, 'PATCH', { status: 'OPEN', assignedTo: 'A-1' })).status).toBe(400);
    expect((await call(`${BASE}/threads/${email.id}`, 'PATCH', { status: 'SNOOZED' })).status).toBe(400);
    await call(`${BASE}/threads/${email.id}`, 'PATCH', { status: 'OPEN' });
  });
});

describe('messages', () => {
  it('lists and gets messages with HubSpot fields', async () => {
    const list = await call(`${BASE}/threads/${chat.id}/messages?limit=10`);
    expect(list.body.results).toHaveLength(1);
    const message = list.body.results[0];
    expect(message).toMatchObject({
      id: expect.any(String), type: 'MESSAGE', text: 'Where is my parcel?', direction: 'INCOMING', createdBy: 'V-101',
      senders: [{ actorId: 'V-101' }], channelId: '1000', channelAccountId: chat.originalChannelAccountId, conversationsThreadId: chat.id,
      truncationStatus: 'NOT_TRUNCATED', archived: false, client: { clientType: 'HUBSPOT' },
    });
    expect((await call(`${BASE}/threads/${chat.id}/messages/${message.id}`)).body.id).toBe(message.id);
    expect((await call(`${BASE}/threads/${chat.id}/messages/nope`)).status).toBe(404);
  });

  it('sends a MESSAGE only with a valid agent sender and the thread\'s channel', async () => {
    const good = { type: 'MESSAGE', text: 'On its way!', attachments: [], senderActorId: 'A-9586504', channelId: '1000', channelAccountId: chat.originalChannelAccountId };
    const sent = await call(`${BASE}/threads/${chat.id}/messages`, 'POST', good);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ type: 'MESSAGE', direction: 'OUTGOING', createdBy: 'A-9586504', client: { clientType: 'INTEGRATION', integrationAppId: 1160452 } });
    for (const bad of [
      { ...good, senderActorId: undefined },
      { ...good, senderActorId: 'A-1' },
      { ...good, senderActorId: 'V-101' },
      { ...good, channelId: '1002' },
      { ...good, channelAccountId: '1' },
      { ...good, text: '' },
      { ...good, type: 'NOTE' },
      { ...good, attachments: undefined },
    ]) {
      const res = await call(`${BASE}/threads/${chat.id}/messages`, 'POST', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.category).toBe('VALIDATION_ERROR');
    }
  });

  it('email needs recipients and subject; COMMENT takes only text, richText and attachments', async () => {
    const base = { type: 'MESSAGE', text: 'Refunded', attachments: [], senderActorId: 'A-9586504', channelId: '1002', channelAccountId: email.originalChannelAccountId };
    expect((await call(`${BASE}/threads/${email.id}/messages`, 'POST', base)).status).toBe(400);
    const recipients = [{ recipientField: 'TO', deliveryIdentifiers: [{ type: 'HS_EMAIL_ADDRESS', value: 'chris.customer@example.com' }] }];
    expect((await call(`${BASE}/threads/${email.id}/messages`, 'POST', { ...base, recipients })).status).toBe(400);
    const ok = await call(`${BASE}/threads/${email.id}/messages`, 'POST', { ...base, recipients, subject: 'Re: Refund' });
    expect(ok.status).toBe(201);
    expect(ok.body.recipients[0].deliveryIdentifier).toEqual({ type: 'HS_EMAIL_ADDRESS', value: 'chris.customer@example.com' });
    const comment = await call(`${BASE}/threads/${email.id}/messages`, 'POST', { type: 'COMMENT', text: 'AI summary: refund asked', attachments: [] });
    expect(comment.status).toBe(201);
    expect((await call(`${BASE}/threads/${email.id}/messages`, 'POST', { type: 'COMMENT', text: 'x', attachments: [], senderActorId: 'A-9586504' })).body.message)
      .toMatch(/^Sandbox strict mode: a COMMENT has no field senderActorId/);
    expect((await call(`${BASE}/threads/${email.id}/messages`, 'POST', { type: 'COMMENT', text: 'x' })).status).toBe(400);
    expect(comment.body).toMatchObject({ type: 'COMMENT', createdBy: 'I-1160452' });
  });
});

describe('actors', () => {
  it('reads single actors and batches', async () => {
    expect((await call(`${BASE}/actors/A-9586504`)).body).toMatchObject({ id: 'A-9586504', type: 'AGENT', name: 'Jane Agent', email: 'jane.agent@example.com' });
    expect((await call(`${BASE}/actors/V-101`)).body).toMatchObject({ id: 'V-101', type: 'VISITOR', email: 'chris.customer@example.com' });
    expect((await call(`${BASE}/actors/A-1`)).status).toBe(404);
    const batch = await call(`${BASE}/actors/batch/read`, 'POST', { inputs: ['A-9586504', 'V-101'] });
    expect(batch.body).toMatchObject({ status: 'COMPLETE', results: [{ id: 'A-9586504' }, { id: 'V-101' }] });
  });
});
