import { CARD_STATUS_PATH, cardCommandResultSchema, cardStatusSchema } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, connectOrganization, createSignedTestDeps, PORTAL, seedConversation, signV2, signV3 } from '../../testing/action-test-kit';
import { applyAiCommand } from '../ai-control/apply-command';
import { createApp } from '../app';
import { aMessage } from '../../testing/fixtures';
import { TEST_NOW, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  deps = createSignedTestDeps();
  app = createApp(deps);
  const org = await connectOrganization(deps.store);
  await seedConversation(deps.store, { id: 'ses_t', organizationId: org.id }, '5001');
});
afterEach(() => deps.cleanup());

interface Identity {
  ticketId?: string;
  portalId?: number;
  userId?: number;
  userEmail?: string;
}

/** The URL as the card builds it, then as HubSpot's proxy extends it (the same names again), signed with v3. */
function cardRequest(method: 'GET' | 'POST', identity: Identity = {}, body?: unknown, options: { proxyPortalId?: number } = {}) {
  const query = new URLSearchParams({
    ticketId: identity.ticketId ?? '5001',
    portalId: String(identity.portalId ?? PORTAL),
    userId: String(identity.userId ?? 9586504),
    userEmail: identity.userEmail ?? 'jane.agent@example.com',
  });
  query.append('userId', String(identity.userId ?? 9586504));
  query.append('portalId', String(options.proxyPortalId ?? identity.portalId ?? PORTAL));
  query.append('appId', '7');
  const path = `${CARD_STATUS_PATH}?${query.toString()}`;
  const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = {
    'x-hubspot-signature-v3': signV3(method, BASE + path, raw, TEST_NOW),
    'x-hubspot-request-timestamp': String(TEST_NOW),
    ...(raw ? { 'content-type': 'application/json' } : {}),
  };
  return app.request(path, { method, headers, ...(raw ? { body: raw } : {}) });
}

describe('GET /hubspot/card/ai-status', () => {
  it('shows the AI status of the ticket conversation and the last AI reply', async () => {
    await deps.store.chatHistory.append(aMessage({ id: 'm1', sessionId: 'ses_t', role: 'ai', text: 'Your order ships today.', hubspotMessageId: 'h1', createdAt: TEST_NOW - 5_000 }));
    await deps.store.chatHistory.append(aMessage({ id: 'm2', sessionId: 'ses_t', role: 'customer', text: 'Thanks', hubspotMessageId: 'h2', createdAt: TEST_NOW - 1_000 }));
    const res = await cardRequest('GET');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(cardStatusSchema.parse(await res.json())).toEqual({
      view: 'status',
      ticketId: '5001',
      sessionId: 'ses_t',
      ai: { status: 'active', since: null },
      lastAiReply: { text: 'Your order ships today.', at: TEST_NOW - 5_000 },
    });
  });

  it('shows a pause with its cause', async () => {
    await applyAiCommand(deps, 'ses_t', { type: 'pause', source: 'workflow', by: { kind: 'workflow', id: '42', name: null }, reason: 'VIP', until: TEST_NOW + 60_000 }, TEST_NOW);
    expect(await (await cardRequest('GET')).json()).toMatchObject({
      ai: { status: 'paused', source: 'workflow', by: { kind: 'workflow', id: '42', name: null }, reason: 'VIP', since: TEST_NOW, until: TEST_NOW + 60_000 },
      lastAiReply: null,
    });
  });

  it.each([
    ['an unknown portal', { portalId: 999 }, { view: 'not_connected', portalId: 999 }],
    ['a ticket with no OpenCX conversation', { ticketId: '7777' }, { view: 'no_conversation', ticketId: '7777' }],
  ])('answers %s', async (_name, identity, expected) => {
    const res = await cardRequest('GET', identity);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(expected);
  });

  it('never shows another portal the conversation of the same ticket id', async () => {
    await connectOrganization(deps.store, { portalId: 2002 });
    expect(await (await cardRequest('GET', { portalId: 2002 })).json()).toEqual({ view: 'no_conversation', ticketId: '5001' });
  });

  it('refuses a URL whose portal copies disagree (someone edited the signed URL parts)', async () => {
    const res = await cardRequest('GET', {}, undefined, { proxyPortalId: 2002 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.stringMatching(/portalId/) } });
  });

  it.each([
    ['no signature', {}],
    ['a v2 signature only', { 'x-hubspot-signature': signV2('GET', `${BASE}${CARD_STATUS_PATH}?ticketId=5001&portalId=${PORTAL}`, ''), 'x-hubspot-signature-version': 'v2' }],
    ['a v3 signature over another portal', { 'x-hubspot-signature-v3': signV3('GET', `${BASE}${CARD_STATUS_PATH}?ticketId=5001&portalId=2002`, '', TEST_NOW), 'x-hubspot-request-timestamp': String(TEST_NOW) }],
  ])('answers 401 for %s', async (_name, headers) => {
    const res = await app.request(`${CARD_STATUS_PATH}?ticketId=5001&portalId=${PORTAL}`, { headers });
    expect(res.status).toBe(401);
  });

  it('answers 400 without a ticket id', async () => {
    const path = `${CARD_STATUS_PATH}?portalId=${PORTAL}`;
    const res = await app.request(path, { headers: { 'x-hubspot-signature-v3': signV3('GET', BASE + path, '', TEST_NOW), 'x-hubspot-request-timestamp': String(TEST_NOW) } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringMatching(/ticketId/) } });
  });

  it('answers in a few milliseconds in-process (the 10 ms p99 target is measured in docs/workflow-actions.md)', async () => {
    await cardRequest('GET');
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const started = performance.now();
      await cardRequest('GET');
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    // The median, not the tail: tests run in parallel on shared cores, so a p99 here would measure the machine.
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(10);
  });
});

describe('POST /hubspot/card/ai-status', () => {
  it('pauses as the agent (named by the signed e-mail when HubSpot cannot be asked) and answers the new status', async () => {
    const res = await cardRequest('POST', {}, { action: 'pause', reason: 'I will take it' });
    expect(res.status).toBe(200);
    expect(cardCommandResultSchema.parse(await res.json())).toEqual({
      outcome: 'paused',
      status: {
        view: 'status',
        ticketId: '5001',
        sessionId: 'ses_t',
        ai: { status: 'paused', source: 'card', by: { kind: 'hubspot_user', id: '9586504', name: 'jane.agent@example.com' }, reason: 'I will take it', since: TEST_NOW, until: null },
        lastAiReply: null,
      },
    });
    expect(await (await cardRequest('GET')).json()).toMatchObject({ ai: { status: 'paused', source: 'card' } });
  });

  it('resumes, and requests a handoff with the card reason when none is given', async () => {
    await cardRequest('POST', {}, { action: 'pause' });
    expect(await (await cardRequest('POST', {}, { action: 'resume' })).json()).toMatchObject({ outcome: 'resumed', status: { ai: { status: 'active' } } });
    const handoff = await (await cardRequest('POST', {}, { action: 'request_handoff' })).json();
    expect(handoff).toMatchObject({
      outcome: 'handoff_requested',
      status: { ai: { status: 'handoff_requested', reason: 'Requested from the OpenCX card in HubSpot', requestId: expect.stringMatching(/^card-/) } },
    });
  });

  it('changes nothing for a ticket without a conversation and says so', async () => {
    expect(await (await cardRequest('POST', { ticketId: '7777' }, { action: 'pause' })).json()).toEqual({
      outcome: 'ignored',
      status: { view: 'no_conversation', ticketId: '7777' },
    });
  });

  it('takes the portal from the signed URL, never from the body', async () => {
    await connectOrganization(deps.store, { portalId: 2002 });
    const res = await cardRequest('POST', { portalId: 2002 }, { action: 'pause', portalId: PORTAL, ticketId: '5001' });
    expect(await res.json()).toMatchObject({ outcome: 'ignored', status: { view: 'no_conversation' } });
    expect(await deps.store.aiControl.load('ses_t')).toBeNull();
  });

  it.each([
    ['not JSON', '{"action":', 'invalid_json'],
    ['an unknown action', { action: 'delete' }, 'validation_failed'],
    ['a reason too long', { action: 'pause', reason: 'x'.repeat(501) }, 'validation_failed'],
  ])('answers 400 for %s', async (_name, body, code) => {
    const res = await cardRequest('POST', {}, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
    expect(await deps.store.aiControl.load('ses_t')).toBeNull();
  });

  it('refuses commands for a legacy Private App portal with not_oauth', async () => {
    const legacy = await connectOrganization(deps.store, { portalId: 2002, authMode: 'private_app' });
    await seedConversation(deps.store, { id: 'ses_l', organizationId: legacy.id, portalId: 2002 }, '5001');
    expect((await cardRequest('GET', { portalId: 2002 })).status).toBe(200);
    const res = await cardRequest('POST', { portalId: 2002 }, { action: 'pause' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'not_oauth' } });
  });
});
