// The AI user, end to end through the real pages (no store shortcuts): for OAuth and for the legacy Private App
// path, the admin connects and picks the HubSpot user the AI posts as; the AI answers as that user; assigning the
// conversation to an agent pauses it and assigning it back to the AI user resumes it; what fails is shown to the
// admin (and on the card); a handoff tells the customer.
import { DEFAULT_HANDOFF_MESSAGE } from '@opencx/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxMessage, SandboxUser } from '../sandbox/index';
import { waitUntilSettled } from '../support/settled';
import { startStack, type Stack } from '../support/stack';
import { hasTestId, testIdAttribute, testIdText, type Page } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin, type SignedIn } from './support/connect-flow';

const CUSTOMER = '101';
let stack: Stack;
afterEach(() => stack?.close());

const start = async () => {
  stack = await startStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } } });
  return signInNewAdmin(stack);
};
const portal = () => stack.sandbox.state.portals[String(DEMO_PORTAL)]!;
const ourMessages = (threadId: string): SandboxMessage[] =>
  portal().threads[threadId]!.messages.filter((m) => m.direction === 'OUTGOING' && m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');
const aiStatus = async (threadId: string) => {
  const session = await stack.server.deps.store.sessions.findByThread(DEMO_PORTAL, threadId);
  return session ? ((await stack.server.deps.store.aiControl.load(session.id))?.control.state.status ?? 'active') : 'no session';
};
const anAgent = (): SandboxUser => Object.values(portal().users)[0]!;
const newAiUser = () => stack.sandbox.control.createUser({ portalId: DEMO_PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });

const settled = () => waitUntilSettled(stack);

/** Owner gating, the same on both paths: an agent's assignment pauses the AI, assigning it back resumes it. */
async function assignAwayAndBack(threadId: string, aiUserId: number): Promise<void> {
  stack.sandbox.control.assignThread({ portalId: DEMO_PORTAL, threadId, userId: anAgent().userId });
  await settled();
  expect(await aiStatus(threadId)).toBe('paused');
  stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId, text: 'Hello?' });
  await settled();
  expect(ourMessages(threadId)).toHaveLength(1); // silent while an agent holds it
  stack.sandbox.control.assignThread({ portalId: DEMO_PORTAL, threadId, userId: aiUserId });
  await settled();
  expect(await aiStatus(threadId)).toBe('active');
}

/**
 * A reply HubSpot refuses for good (403): the conversation goes to a person, the customer is told as the AI user,
 * and the admin sees the problem on the settings page (returned).
 */
async function refusedReplyIsHandedOff(admin: SignedIn, threadId: string, aiUserId: number): Promise<Page> {
  await settled();
  const before = ourMessages(threadId).length;
  stack.sandbox.control.addFault({ pathPrefix: `/conversations/v3/conversations/threads/${threadId}/messages`, method: 'POST', status: 403, count: 1 });
  stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId, text: 'Can I change the address?' });
  await settled();
  expect(await aiStatus(threadId)).toBe('handoff_requested');
  expect(ourMessages(threadId).slice(before).map((m) => [m.text, m.senders[0]!.actorId])).toEqual([[DEFAULT_HANDOFF_MESSAGE, `A-${aiUserId}`]]);
  const page = await openSettings(stack, admin.browser);
  expect(page.html).toMatch(/data-testid="problem" data-kind="reply_failed"/);
  return page;
}

async function chooseAiSender(admin: SignedIn, page: Page, userId: number): Promise<Page> {
  const saved = await admin.browser.submit(page, '/settings/integrations/hubspot/ai-user', { userId: String(userId) });
  expect(testIdAttribute(saved.html, 'toast', 'data-toast')).toBe('ai_user_saved');
  expect(testIdAttribute(saved.html, 'ai-sender', 'data-ai-user-id')).toBe(String(userId));
  return saved;
}

describe('the AI user over OAuth', () => {
  it('is chosen after connect; the AI answers as it, yields to agents, and failures reach the admin and the customer', async () => {
    const admin = await start();
    const ai = newAiUser();
    let page = await connectThroughConsent(stack, admin);
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('connected');
    expect(hasTestId(page.html, 'ai-sender-missing')).toBe(true);
    expect(page.html).toContain(`<option value="${ai.userId}">`); // the portal's users to pick from

    // Until an AI sender is chosen, the AI does not post, and the page says why.
    const early = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await settled();
    expect(ourMessages(early.id)).toEqual([]);
    page = await openSettings(stack, admin.browser);
    expect(testIdAttribute(page.html, 'problem', 'data-kind')).toBe('no_ai_sender');

    page = await chooseAiSender(admin, page, ai.userId);
    expect(hasTestId(page.html, 'ai-sender-missing')).toBe(false);
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await expect.poll(() => ourMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    const reply = ourMessages(t.id)[0]!;
    expect(reply.senders[0]!.actorId).toBe(`A-${ai.userId}`);
    expect(reply.richText).toContain('<!-- OpenCX-AI-Response -->');
    await assignAwayAndBack(t.id, ai.userId);

    page = await refusedReplyIsHandedOff(admin, t.id, ai.userId);
    expect(testIdText(page.html, 'problems')).toContain('An AI reply could not be posted');
  });
});

describe('the AI user on the legacy Private App path', () => {
  it('is the Default User ID of the form; the Private App\'s own webhooks reach the organization; a revoked token asks to reconnect', async () => {
    const admin = await start();
    const ai = newAiUser();
    const app = stack.sandbox.control.createPrivateAppToken({ portalId: DEMO_PORTAL });
    // The order the page gives: the webhook URL goes into the Private App first, then token and user into OpenCX.
    const webhookUrl = testIdText(admin.page.html, 'webhook-url')!;
    expect(webhookUrl).toMatch(new RegExp(`^${stack.serverUrl}/hubspot/webhooks/legacy/whs_`));
    stack.sandbox.control.setPrivateAppWebhook({ token: app.token, url: webhookUrl });

    const wrongUser = await admin.browser.submit(admin.page, '/settings/integrations/hubspot/private-app', { token: app.token, defaultUserId: '424242' });
    expect(wrongUser.status).toBe(400);
    expect(testIdText(wrongUser.html, 'form-error')).toMatch(/has no active user with ID 424242/);
    let page = await admin.browser.submit(await openSettings(stack, admin.browser), '/settings/integrations/hubspot/private-app', {
      token: app.token, defaultUserId: String(ai.userId), clientSecret: app.clientSecret,
    });
    expect(testIdAttribute(page.html, 'auth-mode', 'data-auth-mode')).toBe('private_app');
    expect(testIdAttribute(page.html, 'ai-sender', 'data-ai-user-id')).toBe(String(ai.userId));
    expect(testIdText(page.html, 'webhook-signature-mode')).toMatch(/signature is checked too/);

    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await expect.poll(() => ourMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    expect(ourMessages(t.id)[0]!.senders[0]!.actorId).toBe(`A-${ai.userId}`);
    const legacyDeliveries = stack.sandbox.state.webhookDeliveries.filter((d) => d.url === webhookUrl);
    expect(legacyDeliveries.length).toBeGreaterThan(0);
    expect(legacyDeliveries.every((d) => d.ok && d.events.every((e) => e.appId === app.appId))).toBe(true);
    await assignAwayAndBack(t.id, ai.userId);

    page = await refusedReplyIsHandedOff(admin, t.id, ai.userId);
    // Still connected: a refused reply is not a refused token.
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('connected');

    // The same URL refuses a delivery whose signature does not match the Private App's secret.
    const forged = await fetch(webhookUrl, {
      method: 'POST', body: '[]',
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'AAAA', 'x-hubspot-request-timestamp': String(Date.now()) },
    });
    expect(forged.status).toBe(401);

    // The Private App's token is rotated in HubSpot: the next reply meets a 401, and the connection asks for a new one.
    stack.sandbox.control.revokePrivateAppToken({ token: app.token });
    stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'Still there?' });
    await expect
      .poll(async () => (await stack.server.deps.store.connections.findByPortal(DEMO_PORTAL))?.status, { timeout: 10_000 })
      .toBe('reconnect_required');
    page = await openSettings(stack, admin.browser);
    expect(testIdAttribute(page.html, 'integration-card', 'data-status')).toBe('reconnect_required');
    expect(page.html).toMatch(/data-testid="problem" data-kind="token_refused"/);

    // The card in the ticket sidebar (the app is installed in the portal, so HubSpot shows and signs it) says so too.
    stack.sandbox.control.installApp({ portalId: DEMO_PORTAL });
    const ticket = stack.sandbox.control.createTicket({ portalId: DEMO_PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: t.id });
    const card = await stack.sandbox.control.cardFetch({
      portalId: DEMO_PORTAL, userId: anAgent().userId, url: `${stack.serverUrl}/hubspot/card/ai-status?ticketId=${ticket.id}`, method: 'GET',
    });
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ view: 'reconnect_required', portalId: DEMO_PORTAL, reason: expect.stringMatching(/refused the Private App access token/) });
  });
});
