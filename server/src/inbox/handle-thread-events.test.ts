import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const sessionOf = async (threadId: string) => (await h.deps.store.sessions.findByThread(PORTAL, threadId))!;
const stateOf = async (sessionId: string) => (await h.deps.store.aiControl.load(sessionId))?.control.state ?? { status: 'active' };

describe('thread created', () => {
  it.each([
    ['LIVE_CHAT', 'chat'],
    ['EMAIL', 'email'],
  ] as const)('creates a %s session with its contact, once', async (channel, expected) => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel });
    const events = h.sandbox.state.webhookEvents.slice();
    await h.sync();
    expect(await sessionOf(thread.id)).toMatchObject({ threadId: thread.id, contactId: CUSTOMER, channel: expected, status: 'open', portalId: PORTAL });
    // A redelivery (HubSpot retries with a new attemptNumber) is the same event.
    expect((await h.ingest(events.map((e) => ({ ...e, attemptNumber: 1 })) as Record<string, unknown>[])).stored).toBe(0);
  });

  it('ignores a thread that no longer exists', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    h.sandbox.control.privacyDeleteThread({ portalId: PORTAL, threadId: thread.id });
    await h.ingest();
    expect(await h.drainInbox()).toEqual(['ignored', 'ignored']);
    expect(await h.deps.store.sessions.findByThread(PORTAL, thread.id)).toBeNull();
  });
});

describe('thread assignee changed', () => {
  it('pauses the AI when the conversation is assigned to an agent, even before any message', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: JANE.userId });
    await h.sync();
    const session = await sessionOf(thread.id);
    expect(await stateOf(session.id)).toMatchObject({ status: 'paused', source: 'agent_took_ownership', by: { kind: 'hubspot_user', id: String(JANE.userId) } });
    // The pause did not wait for HubSpot to name the agent; the name follows.
    await expect.poll(async () => ((await stateOf(session.id)) as { by?: { name: string | null } }).by?.name).toBe('Jane Agent');
  });

  it.each([
    ['stay_paused', 'paused'],
    ['resume', 'active'],
  ] as const)('on unassignment follows the organization policy %s', async (policy, expected) => {
    await h.deps.store.organizations.updateSettings(h.organization.id, { unassignPolicy: policy });
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: JANE.userId });
    await h.sync();
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: null });
    await h.sync();
    expect((await stateOf((await sessionOf(thread.id)).id)).status).toBe(expected);
  });

  it('does not count an assignment to a bot or an integration as a person taking over', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER });
    await h.sync();
    await h.ingest([
      { eventId: 9, subscriptionId: 7662276, portalId: PORTAL, appId: 1, occurredAt: Date.now(), subscriptionType: 'conversation.propertyChange', attemptNumber: 0, objectId: Number(thread.id), propertyName: 'assignedTo', propertyValue: 'L-42' },
    ]);
    expect(await h.drainInbox()).toEqual(['ignored']);
    expect((await stateOf((await sessionOf(thread.id)).id)).status).toBe('active');
  });
});

describe('thread deleted', () => {
  it('keeps the session and its history, marks it deleted, unlinks its tickets; new events on it are ignored', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hi there' });
    const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Hi', threadId: thread.id });
    await h.sync();
    const session = await sessionOf(thread.id);
    h.sandbox.control.deleteThread({ portalId: PORTAL, threadId: thread.id });
    await h.sync();
    expect(await h.deps.store.sessions.get(session.id)).toMatchObject({ status: 'deleted' });
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ status: 'unlinked' });
    expect((await h.deps.store.chatHistory.listRecent(session.id, 10)).map((m) => m.text)).toContain('Hi there');
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    await h.sync();
    expect((await stateOf(session.id)).status).toBe('active');
  });

  it('erases the messages of a permanently deleted thread and says so in the audit trail', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'My card number is 4111' });
    await h.sync();
    const session = await sessionOf(thread.id);
    h.sandbox.control.privacyDeleteThread({ portalId: PORTAL, threadId: thread.id });
    await h.sync();
    const history = await h.deps.store.chatHistory.listRecent(session.id, 10);
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((m) => m.text === '' && m.erasedAt !== null)).toBe(true);
    expect(await h.deps.store.sessions.get(session.id)).toMatchObject({ status: 'deleted' });
    const [erased] = await h.deps.store.aiControl.listEvents(session.id, 1);
    expect(erased).toMatchObject({ type: 'personal_data_erased', detail: { why: 'thread_privacy_deletion', messages: history.length } });
  });
});
