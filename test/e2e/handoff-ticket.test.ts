// The handoff sequence end to end, through the real settings page and the sandbox: a conversation without a
// ticket hands off into a new ticket (contact found by email or created, transcript, internal comment, the
// opencx_handedoff mark, the default owner); one with a ticket gets the comment and the mark but no second ticket;
// with ticket creation off the handoff still happens; redelivered events and a retried effect create nothing twice.
import { AI_STATUS_PROPERTY_NAME, DEFAULT_HANDOFF_MESSAGE, HANDED_OFF_PROPERTY_NAME } from '@opencx/shared';
import { ASKED_FOR_PERSON_REASON } from '@opencx/server/ai/faq-agent';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../sandbox/index';
import { startStack, type Stack } from '../support/stack';
import { testIdAttribute, testIdText, type Page } from './support/admin-browser';
import { connectThroughConsent, DEMO_PORTAL, signInNewAdmin, type SignedIn } from './support/connect-flow';

const CUSTOMER = '101'; // Chris Customer, chris.customer@example.com
const JANE_OWNER = '52550153';
const SAM = { userId: 9586505, ownerId: '52550154' };
const MARKER = '🔄 AI decided to handoff';

let stack: Stack;
afterEach(async () => {
  stack?.sandbox.control.clearFaults();
  stack?.sandbox.control.clearDeliveryInjections();
  await stack?.close();
});

const portal = () => stack.sandbox.state.portals[String(DEMO_PORTAL)]!;
const tickets = () => Object.values(portal().tickets).filter((t) => !t.archived);
const comments = (threadId: string): SandboxMessage[] => portal().threads[threadId]!.messages.filter((m) => m.type === 'COMMENT');
const ours = (threadId: string): SandboxMessage[] =>
  portal().threads[threadId]!.messages.filter((m) => m.type === 'MESSAGE' && m.direction === 'OUTGOING' && m.client.clientType === 'INTEGRATION');
const sessionOf = async (threadId: string) => (await stack.server.deps.store.sessions.findByThread(DEMO_PORTAL, threadId))!;
const aiStatus = async (threadId: string) => (await stack.server.deps.store.aiControl.load((await sessionOf(threadId)).id))?.control.state.status;

async function settled(): Promise<void> {
  await expect
    .poll(async () => {
      await stack.sandbox.idle();
      const inbox = await stack.server.deps.store.inbox.countByStatus();
      const effects = Object.values(await stack.server.deps.store.outbox.countUnfinished()).reduce((a, b) => a + b, 0);
      return inbox.pending + inbox.processing + effects;
    }, { timeout: 15_000 })
    .toBe(0);
}

/** Connected over OAuth, the AI sender chosen, and the handoff settings saved through the page's form. */
async function setUp(handoff: Record<string, string>): Promise<{ admin: SignedIn; page: Page }> {
  // Fast outbox retries, so that a failed step is retried within the test.
  stack = await startStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20, retry: { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 200 } } } } });
  const admin = await signInNewAdmin(stack);
  const ai = stack.sandbox.control.createUser({ portalId: DEMO_PORTAL, email: 'ai@demo-helpdesk.example.com', firstName: 'OpenCX', lastName: 'AI' });
  let page = await connectThroughConsent(stack, admin);
  page = await admin.browser.submit(page, '/settings/integrations/hubspot/ai-user', { userId: String(ai.userId) });
  page = await admin.browser.submit(page, '/settings/integrations/hubspot/handoff', handoff);
  expect(testIdAttribute(page.html, 'toast', 'data-toast')).toBe('handoff_saved');
  return { admin, page };
}

/** A conversation the AI answered once, then the customer asks for a person. */
async function askForPerson(threadId: string): Promise<void> {
  await expect.poll(() => ours(threadId).length, { timeout: 10_000 }).toBe(1);
  await settled();
  stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId, text: 'I want to talk to a person' });
  await settled();
}

describe('the handoff sequence', () => {
  it('hands a conversation without a ticket into a new ticket: contact found by email, transcript, comment, mark, default owner', async () => {
    const { page } = await setUp({ createTicket: 'on', pipelineStage: '0:3', defaultOwnerId: JANE_OWNER });
    // The page shows what was saved.
    expect(page.html).toMatch(/<option value="0:3" selected="">/);
    expect(page.html).toMatch(new RegExp(`<option value="${JANE_OWNER}" selected="">`));
    const contactsBefore = Object.keys(portal().contacts).length;
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await askForPerson(t.id);

    expect(await aiStatus(t.id)).toBe('handoff_requested'); // our own owner write is no agent taking over
    expect(tickets()).toHaveLength(1);
    const ticket = tickets()[0]!;
    expect(ticket.contactIds).toEqual([CUSTOMER]);
    expect(Object.keys(portal().contacts)).toHaveLength(contactsBefore); // found, not created
    expect(ticket.properties).toMatchObject({
      subject: 'OpenCX handoff: Where is my order?',
      hs_pipeline: '0',
      hs_pipeline_stage: '3',
      hubspot_owner_id: JANE_OWNER,
      [HANDED_OFF_PROPERTY_NAME]: 'true',
      [AI_STATUS_PROPERTY_NAME]: 'handoff',
    });
    const content = ticket.properties['content']!;
    expect(content).toContain(`Summary: ${ASKED_FOR_PERSON_REASON}`);
    expect(content).toMatch(/Customer \([^)]+\): Where is my order\?/);
    expect(content).toMatch(/OpenCX AI \([^)]+\): .*tracking link/);
    expect(content).toMatch(/Customer \([^)]+\): I want to talk to a person/);
    // The ticket is the session's: a later owner change on it acts on the conversation.
    expect((await stack.server.deps.store.ticketLinks.findByTicket(DEMO_PORTAL, ticket.id))).toMatchObject({ sessionId: (await sessionOf(t.id)).id, status: 'active' });
    // The internal comment, with the marker and the reason; the customer is told, once.
    expect(comments(t.id).map((m) => m.text)).toEqual([`${MARKER}\nReason: ${ASKED_FOR_PERSON_REASON}`]);
    expect(ours(t.id).slice(1).map((m) => m.text)).toEqual([DEFAULT_HANDOFF_MESSAGE]);

    // The agent takes the ticket: the AI is paused (the link works both ways).
    stack.sandbox.control.setTicketOwner({ portalId: DEMO_PORTAL, ticketId: ticket.id, ownerId: SAM.ownerId, actingUserId: SAM.userId });
    await settled();
    expect(await aiStatus(t.id)).toBe('paused');
  });

  it('creates the contact when no contact has the customer\'s email, and associates the ticket with it', async () => {
    const { admin, page } = await setUp({ createTicket: 'on', pipelineStage: '', defaultOwnerId: '' });
    // The form takes only owners and stages the connected portal has.
    const refused = await admin.browser.submit(page, '/settings/integrations/hubspot/handoff', { createTicket: 'on', pipelineStage: '0:99', defaultOwnerId: '999' });
    expect(refused.status).toBe(400);
    expect(testIdText(refused.html, 'page-error')).toContain('That owner is not a user of the connected HubSpot portal');
    expect(refused.html).toMatch(/<option value="" selected="">Nobody \(leave unassigned\)<\/option>/); // nothing saved
    const pat = stack.sandbox.control.createContact({ portalId: DEMO_PORTAL, email: 'pat.visitor@example.com', firstname: 'Pat' });
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: pat.id, channel: 'EMAIL', subject: 'Order', text: 'Where is my order?' });
    await expect.poll(() => ours(t.id).length, { timeout: 10_000 }).toBe(1);
    await settled();
    // The contact is gone from HubSpot since (merged away, deleted): only the email's sender address is left.
    portal().contacts[pat.id]!.archived = true;
    stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'I want to talk to a person' });
    await settled();

    const created = Object.values(portal().contacts).filter((c) => !c.archived && c.properties['email'] === 'pat.visitor@example.com');
    expect(created).toHaveLength(1);
    expect(created[0]!.id).not.toBe(pat.id);
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]!.contactIds).toEqual([created[0]!.id]);
    // No stage chosen: the first stage of HubSpot's first ticket pipeline; no default owner: unassigned.
    expect(tickets()[0]!.properties).toMatchObject({ hs_pipeline: '0', hs_pipeline_stage: '1', [HANDED_OFF_PROPERTY_NAME]: 'true' });
    expect(tickets()[0]!.properties['hubspot_owner_id'] ?? null).toBeNull();
  });

  it('gives a conversation with a ticket the comment, the mark and the default owner, and no second ticket', async () => {
    await setUp({ createTicket: 'on', pipelineStage: '', defaultOwnerId: JANE_OWNER });
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    const ticket = stack.sandbox.control.createTicket({ portalId: DEMO_PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: t.id });
    await askForPerson(t.id);

    expect(tickets().map((x) => x.id)).toEqual([ticket.id]);
    expect(portal().tickets[ticket.id]!.properties).toMatchObject({ [HANDED_OFF_PROPERTY_NAME]: 'true', hubspot_owner_id: JANE_OWNER, [AI_STATUS_PROPERTY_NAME]: 'handoff' });
    expect(comments(t.id)).toHaveLength(1);
    expect(comments(t.id)[0]!.text.startsWith(MARKER)).toBe(true);
    expect(stack.sandbox.control.notesForTicket({ portalId: DEMO_PORTAL, ticketId: ticket.id })).toHaveLength(1);
  });

  it('still hands off with ticket creation switched off: comment and notice, no ticket, no contact', async () => {
    const { page } = await setUp({ pipelineStage: '', defaultOwnerId: JANE_OWNER }); // the unchecked box is absent
    expect(page.html).not.toMatch(/name="createTicket" value="on" checked/);
    const contactsBefore = Object.keys(portal().contacts).length;
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
    await askForPerson(t.id);

    expect(await aiStatus(t.id)).toBe('handoff_requested');
    expect(tickets()).toEqual([]);
    expect(Object.keys(portal().contacts)).toHaveLength(contactsBefore);
    expect(comments(t.id)).toHaveLength(1);
    expect(ours(t.id).slice(1).map((m) => m.text)).toEqual([DEFAULT_HANDOFF_MESSAGE]);
  });

  it('creates nothing twice when the events are delivered twice and a step fails and is retried', async () => {
    await setUp({ createTicket: 'on', pipelineStage: '', defaultOwnerId: JANE_OWNER });
    const pat = stack.sandbox.control.createContact({ portalId: DEMO_PORTAL, email: 'pat.visitor@example.com' });
    const t = stack.sandbox.control.createThread({ portalId: DEMO_PORTAL, contactId: pat.id, channel: 'EMAIL', subject: 'Order', text: 'Where is my order?' });
    await expect.poll(() => ours(t.id).length, { timeout: 10_000 }).toBe(1);
    await settled();
    portal().contacts[pat.id]!.archived = true;
    stack.sandbox.control.setDeliveryInjections({ duplicate: 2, dropFirstAttempt: true });
    // The comment (the first post to the thread after the ticket was created) fails once: the effect is retried.
    const fault = stack.sandbox.control.addFault({ pathPrefix: `/conversations/v3/conversations/threads/${t.id}/messages`, method: 'POST', status: 503, count: 1 });
    stack.sandbox.control.postCustomerMessage({ portalId: DEMO_PORTAL, threadId: t.id, text: 'I want to talk to a person' });
    await settled();

    // The fault was used up: the comment's first post failed, and the comment below came from the retry.
    expect(stack.sandbox.state.faults.some((f) => f.id === fault.id && (f.remaining ?? 1) > 0)).toBe(false);
    expect(Object.values(portal().contacts).filter((c) => !c.archived && c.properties['email'] === 'pat.visitor@example.com')).toHaveLength(1);
    expect(tickets()).toHaveLength(1);
    expect(comments(t.id)).toHaveLength(1);
    expect(stack.sandbox.control.notesForTicket({ portalId: DEMO_PORTAL, ticketId: tickets()[0]!.id })).toHaveLength(1);
    expect(ours(t.id).slice(1).map((m) => m.text)).toEqual([DEFAULT_HANDOFF_MESSAGE]);
    expect(tickets()[0]!.properties).toMatchObject({ hubspot_owner_id: JANE_OWNER, [HANDED_OFF_PROPERTY_NAME]: 'true' });
  });
});
