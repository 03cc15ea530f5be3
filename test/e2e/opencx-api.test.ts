// The OpenCX API adapter end to end: the real server, the HubSpot sandbox and the OpenCX API stand-in over HTTP.
// An admin saves a key through the real settings form; from then on the customer's questions go to OpenCX
// (one session per conversation, with contact and channel; each message sent as the contact) and OpenCX's answer
// is posted in the HubSpot thread; OpenCX's handoff flag stops the AI; a key OpenCX refuses shows on the page.
import { DEFAULT_HANDOFF_MESSAGE } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../sandbox/index';
import { useListeningOpenCx } from '../support/listening-opencx';
import { waitUntilSettled } from '../support/settled';
import { startStack, type Stack } from '../support/stack';
import { hasTestId, testIdAttribute } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, openSettings, signInNewAdmin, type SignedIn } from './support/connect-flow';

const KEY = 'ocx_live_e2e_7d1c9b3a_4f2a';
const CUSTOMER = '101';

const standIn = useListeningOpenCx({ keys: { [KEY]: 'full' } });
const { opencx } = standIn;
let stack: Stack;
let admin: SignedIn;

beforeEach(async () => {
  stack = await startStack({
    env: { OPENCX_API_BASE_URL: standIn.url },
    start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } },
  });
  admin = await signInNewAdmin(stack);
  const connected = await connectThroughConsent(stack, admin);
  expect(testIdAttribute(connected.html, 'integration-card', 'data-status')).toBe('connected');
  // The AI sender, chosen on the page as an admin does: a dedicated user the AI posts as.
  const ai = stack.sandbox.control.createUser({ portalId: DEMO_PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  const chosen = await admin.browser.submit(await openSettings(stack, admin.browser), '/settings/integrations/hubspot/ai-user', { userId: String(ai.userId) });
  expect(testIdAttribute(chosen.html, 'ai-sender', 'data-ai-user-id')).toBe(String(ai.userId));
});
afterEach(() => stack.close());

const deps = () => stack.server.deps;
const thread = (id: string) => stack.sandbox.state.portals[String(DEMO_PORTAL)]!.threads[id]!;
const ours = (threadId: string): SandboxMessage[] => thread(threadId).messages.filter((m) => m.client.clientType === 'INTEGRATION' && m.type === 'MESSAGE');
/** The AI's answers; the one other message we post is the customer's notice of a handoff. */
const aiMessages = (threadId: string): SandboxMessage[] => ours(threadId).filter((m) => m.text !== DEFAULT_HANDOFF_MESSAGE);
const handoffNotices = (threadId: string) => ours(threadId).filter((m) => m.text === DEFAULT_HANDOFF_MESSAGE);
const sessionOf = async (threadId: string) => (await deps().store.sessions.findByThread(DEMO_PORTAL, threadId))!;
const aiStatus = async (threadId: string) => (await deps().store.aiControl.load((await sessionOf(threadId)).id))?.control.state.status ?? 'active';
const sends = () => opencx.requests('POST', /\/send$/).map((r) => r.body as { sender: string; message: { text: string } });
const creates = () => opencx.requests('POST', /^\/chat\/sessions$/);

const settled = () => waitUntilSettled(stack);

async function saveKeyOnSettingsPage(apiKey: string) {
  const settings = await openSettings(stack, admin.browser);
  const saved = await admin.browser.submit(settings, '/settings/integrations/hubspot/opencx-key', { apiKey });
  expect(saved.status).toBe(200);
  expect(testIdAttribute(saved.html, 'toast', 'data-toast')).toBe('opencx_key_saved');
  expect(saved.html).toContain('Set, ending in <strong>…4f2a</strong>');
  expect(saved.html).not.toContain(apiKey);
}

describe('the OpenCX API adapter, end to end', () => {
  it('sends the customer\'s questions to OpenCX and posts its answers in the thread; its handoff flag stops the AI', async () => {
    await saveKeyOnSettingsPage(KEY);
    opencx.script('order', { text: 'Your parcel left our warehouse this morning.' });
    opencx.script('refund', { text: 'Refunds reach your card within 5 days.' });
    const { control } = stack.sandbox;

    const t = control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT', text: 'Where is my order?' });
    await expect.poll(() => aiMessages(t.id).map((m) => m.text), { timeout: 10_000 }).toEqual([expect.stringContaining('Your parcel left our warehouse this morning.')]);
    control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'And my refund?' });
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(2);
    expect(aiMessages(t.id)[1]!.text).toContain('Refunds reach your card within 5 days.');
    await settled();

    // One OpenCX session for the conversation, created with the contact and the channel; each message once, as the contact.
    expect(creates()).toHaveLength(1);
    expect(creates()[0]).toMatchObject({
      keyEnding: '4f2a',
      status: 201,
      body: { channel: { type: 'web' }, contact: { custom_data: { hubspot_contact_id: CUSTOMER } }, custom_data: { hubspot_portal_id: String(DEMO_PORTAL), hubspot_thread_id: t.id } },
    });
    expect(sends()).toEqual([
      { sender: 'contact', message: { type: 'text', text: 'Where is my order?' } },
      { sender: 'contact', message: { type: 'text', text: 'And my refund?' } },
    ]);
    const [opencxSessionId] = [...opencx.state.sessions.keys()];
    expect((await deps().store.opencxSessions.get((await sessionOf(t.id)).id))?.opencxSessionId).toBe(opencxSessionId);

    // The session's custom data: a key the portal has a ticket property for is copied onto the handoff's ticket;
    // a key naming one of HubSpot's own properties (subject) never is.
    await deps().hubspot.ensureTicketProperty(DEMO_PORTAL, { name: 'order_number', label: 'Order number', type: 'string', fieldType: 'text', groupName: 'ticketinformation' });
    Object.assign(opencx.state.sessions.get(opencxSessionId!)!.customData, { order_number: 'A-1001', subject: 'not a subject', unmapped_key: 'x' });

    // OpenCX hands the customer to a person: the server requests the handoff and the AI stops.
    control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'Let me talk to a human please' });
    await expect.poll(() => aiStatus(t.id), { timeout: 10_000 }).toBe('handoff_requested');
    await settled();
    const [link] = await deps().store.ticketLinks.listBySession((await sessionOf(t.id)).id, 'active');
    const handoffTicket = stack.sandbox.state.portals[String(DEMO_PORTAL)]!.tickets[link!.ticketId]!;
    expect(handoffTicket.properties).toMatchObject({ order_number: 'A-1001', subject: expect.stringMatching(/^OpenCX handoff: /) });
    expect(handoffTicket.properties).not.toHaveProperty('unmapped_key');
    control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'Hello? Anyone?' });
    await settled();
    expect(aiMessages(t.id)).toHaveLength(2);
    expect(handoffNotices(t.id)).toHaveLength(1); // the customer is told a person will answer
    expect(sends().map((s) => s.message.text)).toEqual(['Where is my order?', 'And my refund?', 'Let me talk to a human please']);
    expect(opencx.state.sessions.get(opencxSessionId!)?.handedOff).toBe(true);
  });

  it('sends an agent\'s reply to OpenCX as a takeover of the session, and closes the session when the thread is deleted', async () => {
    await saveKeyOnSettingsPage(KEY);
    opencx.script('order', { text: 'Your parcel left our warehouse this morning.' });
    const { control } = stack.sandbox;
    const t = control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT', text: 'Where is my order?' });
    await expect.poll(() => aiMessages(t.id).length, { timeout: 10_000 }).toBe(1);
    await settled();
    const [opencxSessionId] = [...opencx.state.sessions.keys()];

    const jane = Object.values(stack.sandbox.state.portals[String(DEMO_PORTAL)]!.users).find((u) => u.firstName === 'Jane')!;
    control.postAgentMessage({ portalId: DEMO_PORTAL, threadId: t.id, userId: jane.userId, text: 'Jane here, I will check the parcel.' });
    await settled();
    expect(await aiStatus(t.id)).toBe('paused');
    const agentSends = opencx.requests('POST', /\/send$/).filter((r) => (r.body as { sender: string }).sender === 'agent');
    expect(agentSends.map((r) => r.body)).toEqual([expect.objectContaining({
      sender: 'agent', message: expect.objectContaining({ text: 'Jane here, I will check the parcel.' }),
      agent: expect.objectContaining({ id: jane.userId }), should_take_over_session_from_ai: true,
    })]);
    expect(opencx.state.sessions.get(opencxSessionId!)?.takenOver).toBe(true);

    control.deleteThread({ portalId: DEMO_PORTAL, threadId: t.id });
    await settled();
    expect(opencx.state.sessions.get(opencxSessionId!)?.status).toMatch(/^closed/);
    expect(opencx.requests('PATCH', /\/chat\/sessions\//).map((r) => r.status)).toEqual([200]);
  });

  it('shows OpenCX\'s 401 on the settings page, hands the conversation to a person; a new key clears it and is answered', async () => {
    await saveKeyOnSettingsPage(KEY);
    opencx.removeKey(KEY); // revoked in OpenCX
    const { control } = stack.sandbox;
    const t = control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, channel: 'LIVE_CHAT', text: 'Where is my order?' });
    await expect.poll(() => aiStatus(t.id), { timeout: 10_000 }).toBe('handoff_requested');
    await settled();
    expect(aiMessages(t.id)).toHaveLength(0);
    expect(handoffNotices(t.id)).toHaveLength(1);
    expect(creates().map((r) => r.status)).toEqual([401]);

    const page = await openSettings(stack, admin.browser);
    expect(testIdAttribute(page.html, 'opencx-key-error', 'data-code')).toBe('key_refused');
    expect(page.html).toMatch(/OpenCX refused a request on \d{4}-\d\d-\d\d \d\d:\d\d UTC: OpenCX refused the API key \(401 Unauthorized\)/);
    expect(page.html).toContain('Create a new key in OpenCX');

    // The admin saves a working key: the next conversation is answered, and the error is gone.
    opencx.addKey('ocx_live_e2e_new_key_4f2a');
    await saveKeyOnSettingsPage('ocx_live_e2e_new_key_4f2a');
    const other = control.createContact({ portalId: DEMO_PORTAL, email: 'ann@customer.example.com' });
    const t2 = control.createThread({ portalId: DEMO_PORTAL, contactId: other.id, channel: 'LIVE_CHAT', text: 'Do you ship abroad?' });
    await expect.poll(() => aiMessages(t2.id).length, { timeout: 10_000 }).toBe(1);
    expect(aiMessages(t2.id)[0]!.text).toContain('OpenCX API stand-in');
    expect(hasTestId((await openSettings(stack, admin.browser)).html, 'opencx-key-error')).toBe(false);
  });
});
