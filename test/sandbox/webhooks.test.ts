import { Signature } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-kit';
import type { WebhookEvent } from './index';

let h: Harness;
afterEach(() => h?.close());

const PORTAL = 62515;
const webhookBatches = () => h.receiver.requests.filter((r) => r.path === '/hubspot/webhooks');
const events = () => webhookBatches().flatMap((r) => JSON.parse(r.body) as WebhookEvent[]);

describe('webhook events and signatures', () => {
  it('sends HubSpot-shaped, v1 + v3 signed batches for subscribed changes in installed portals only', async () => {
    h = await startHarness();
    const c = h.sandbox.control;
    c.installApp({ portalId: PORTAL });
    c.createPortal({ portalId: 4242 }); // not installed: must stay silent
    c.createTicket({ portalId: 4242, subject: 'silent' });
    const ticket = c.createTicket({ portalId: PORTAL, subject: 'Help' });
    c.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: '52550153', actingUserId: 9586504 });
    c.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: null });
    const thread = c.createThread({ portalId: PORTAL, contactId: '101', text: 'Hi there' });
    c.assignThread({ portalId: PORTAL, threadId: thread.id, userId: 9586505 });
    c.assignThread({ portalId: PORTAL, threadId: thread.id, userId: null });
    c.deleteTicket({ portalId: PORTAL, ticketId: ticket.id });
    c.deleteThread({ portalId: PORTAL, threadId: thread.id });
    c.privacyDeleteContact({ portalId: PORTAL, contactId: '101' });
    await h.sandbox.idle();

    const all = events();
    expect(all.every((e) => e.portalId === PORTAL && e.appId === 1160452 && e.attemptNumber === 0)).toBe(true);
    const types = all.map((e) => `${e.subscriptionType}${e['propertyName'] ? `:${String(e['propertyName'])}=${String(e['propertyValue'])}` : ''}`);
    expect(types).toEqual([
      'object.creation',
      'object.propertyChange:hubspot_owner_id=52550153', 'ticket.propertyChange:hubspot_owner_id=52550153',
      'object.propertyChange:hubspot_owner_id=', 'ticket.propertyChange:hubspot_owner_id=',
      'conversation.creation', 'conversation.newMessage',
      'conversation.propertyChange:assignedTo=A-9586505', 'conversation.propertyChange:assignedTo=',
      'object.deletion', 'conversation.deletion', 'contact.privacyDeletion',
    ]);
    const ownerChange = all[1]!;
    expect(ownerChange).toEqual({
      eventId: expect.any(Number), subscriptionId: expect.any(Number), portalId: PORTAL, appId: 1160452, occurredAt: expect.any(Number),
      subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: Number(ticket.id), objectTypeId: '0-5',
      propertyName: 'hubspot_owner_id', propertyValue: '52550153', changeSource: 'CRM_UI', sourceId: 'userId:9586504', isSensitive: false,
    });
    expect(all[2]).not.toHaveProperty('objectTypeId');
    expect(all[6]).toMatchObject({ objectId: Number(thread.id), messageId: thread.messages[0]!.id, messageType: 'MESSAGE' });

    const req = webhookBatches()[0]!;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-hubspot-signature-version']).toBe('v1');
    expect(req.headers['user-agent']).toContain('HubSpot');
    expect(req.headers['x-hubspot-timeout-millis']).toBe('1000');
    const { clientSecret } = h.sandbox.appCredentials;
    expect(Signature.isValid({ signatureVersion: 'v1', signature: req.headers['x-hubspot-signature']!, clientSecret, requestBody: req.body })).toBe(true);
    expect(Signature.isValid({
      signatureVersion: 'v3', signature: req.headers['x-hubspot-signature-v3']!, clientSecret, requestBody: req.body,
      url: `${h.receiver.url}/hubspot/webhooks`, method: 'POST', timestamp: Number(req.headers['x-hubspot-request-timestamp']),
    })).toBe(true);
  });

  it('cuts large bursts into batches of fewer than 100 events', async () => {
    h = await startHarness();
    h.sandbox.control.installApp({ portalId: PORTAL });
    for (let i = 0; i < 150; i++) h.sandbox.control.createTicket({ portalId: PORTAL, subject: `t${i}` });
    await h.sandbox.idle();
    const sizes = webhookBatches().map((r) => (JSON.parse(r.body) as unknown[]).length);
    expect(sizes.every((s) => s < 100)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(150);
    expect(sizes.length).toBe(2);
  });
});

describe('retries', () => {
  it('retries 4xx/5xx with an increasing attemptNumber until accepted', async () => {
    h = await startHarness();
    let calls = 0;
    h.receiver.respond = (_req, c) => (++calls <= 2 ? c.json({}, calls === 1 ? 500 : 404) : c.json({}));
    h.sandbox.control.installApp({ portalId: PORTAL });
    h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'x' });
    await h.sandbox.idle();
    expect(events().map((e) => e.attemptNumber)).toEqual([0, 1, 2]);
    const attempts = h.sandbox.state.webhookDeliveries.map((d) => [d.attemptNumber, d.status, d.ok]);
    expect(attempts).toEqual([[0, 500, false], [1, 404, false], [2, 200, true]]);
  });

  it('treats a response slower than the timeout as failed and retries', async () => {
    h = await startHarness({ webhook: { timeoutMs: 100 } });
    let calls = 0;
    h.receiver.respond = async (_req, c) => {
      if (++calls === 1) await new Promise((r) => setTimeout(r, 250));
      return c.json({});
    };
    h.sandbox.control.installApp({ portalId: PORTAL });
    h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'slow' });
    await h.sandbox.idle();
    const [first, second] = h.sandbox.state.webhookDeliveries;
    expect(first).toMatchObject({ attemptNumber: 0, ok: false, willRetry: true, error: expect.stringContaining('timeout') });
    expect(second).toMatchObject({ attemptNumber: 1, ok: true, status: 200 });
  });

  it('retries network errors up to maxAttempts retries, then gives up', async () => {
    h = await startHarness({ webhook: { maxAttempts: 2, retryDelaysMs: [10] } });
    h.sandbox.control.setWebhookTarget('http://127.0.0.1:9/hubspot/webhooks');
    h.sandbox.control.installApp({ portalId: PORTAL });
    h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'lost' });
    await h.sandbox.idle();
    const attempts = h.sandbox.state.webhookDeliveries;
    expect(attempts.map((d) => d.attemptNumber)).toEqual([0, 1, 2]);
    expect(attempts.every((d) => d.ok === false && d.error?.startsWith('network'))).toBe(true);
    expect(attempts[2]!.willRetry).toBeUndefined();
  });
});

describe('concurrency and injections', () => {
  it('keeps at most maxConcurrentRequests in flight per portal', async () => {
    h = await startHarness({ webhook: { maxConcurrentRequests: 2, maxBatchSize: 1 } });
    let inFlight = 0;
    let peak = 0;
    h.receiver.respond = async (_req, c) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight--;
      return c.json({});
    };
    h.sandbox.control.installApp({ portalId: PORTAL });
    for (let i = 0; i < 6; i++) h.sandbox.control.createTicket({ portalId: PORTAL, subject: `c${i}` });
    await h.sandbox.idle();
    expect(webhookBatches()).toHaveLength(6);
    expect(peak).toBe(2);
    expect(h.sandbox.control.peakWebhookConcurrency(PORTAL)).toBe(2);
  });

  it('duplicates and reorders events on request', async () => {
    h = await startHarness({ webhook: { maxBatchSize: 4 } });
    h.sandbox.control.installApp({ portalId: PORTAL });
    h.sandbox.control.setDeliveryInjections({ duplicate: 2, order: 'reverse' });
    for (let i = 0; i < 5; i++) h.sandbox.control.createTicket({ portalId: PORTAL, subject: `d${i}` });
    await h.sandbox.idle();
    const ids = events().map((e) => e.eventId);
    expect(ids).toHaveLength(10);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(5);
    expect(webhookBatches().length).toBe(3);

    h.receiver.requests.length = 0;
    h.sandbox.control.setDeliveryInjections({ order: 'shuffle' });
    for (let i = 0; i < 20; i++) h.sandbox.control.createTicket({ portalId: PORTAL, subject: `s${i}` });
    await h.sandbox.idle();
    const shuffled = events().map((e) => e.eventId);
    expect([...shuffled].sort((a, b) => a - b)).not.toEqual(shuffled);
    expect(new Set(shuffled).size).toBe(20);
  });

  it('drops the first attempt so the receiver sees the batch again with attemptNumber 1', async () => {
    h = await startHarness();
    h.sandbox.control.installApp({ portalId: PORTAL });
    h.sandbox.control.setDeliveryInjections({ dropFirstAttempt: true });
    h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'again' });
    await h.sandbox.idle();
    const seen = events();
    expect(seen.map((e) => e.attemptNumber)).toEqual([0, 1]);
    expect(seen[0]!.eventId).toBe(seen[1]!.eventId);
    expect(h.sandbox.state.webhookDeliveries[0]!.error).toContain('dropped');
  });
});
