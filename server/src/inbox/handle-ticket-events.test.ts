import { AI_STATUS_PROPERTY_NAME } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOMER, JANE, PORTAL, SAM, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const portal = () => h.sandbox.state.portals[String(PORTAL)]!;
const sessionOf = async (threadId: string) => (await h.deps.store.sessions.findByThread(PORTAL, threadId))!;
const statusOf = async (sessionId: string) => (await h.deps.store.aiControl.load(sessionId))?.control.state ?? { status: 'active' };

/** A conversation with its ticket, synced: the usual starting point. */
async function conversationWithTicket() {
  const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
  const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: thread.id });
  await h.sync();
  return { thread, ticket, session: await sessionOf(thread.id) };
}

describe('ticket created', () => {
  it("links the ticket to its conversation's session and mirrors the AI status onto it (creating the property)", async () => {
    const { ticket, session } = await conversationWithTicket();
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ sessionId: session.id, status: 'active' });
    expect(portal().ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeDefined();
    expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('active');
  });

  it('creates the session of a thread it never saw', async () => {
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, channel: 'EMAIL' });
    h.sandbox.state.webhookEvents.splice(0); // the thread's own events are lost
    const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Mail', threadId: thread.id });
    await h.sync();
    const session = await sessionOf(thread.id);
    expect(session).toMatchObject({ contactId: CUSTOMER, channel: 'email', status: 'open', organizationId: h.organization.id });
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ sessionId: session.id });
  });

  it('leaves a ticket without conversation unlinked, and links it on its first ownership change', async () => {
    const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Phone call' });
    await h.sync();
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toBeNull();
    const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, ticketId: ticket.id });
    h.sandbox.state.webhookEvents.splice(0);
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    await h.sync();
    const session = await sessionOf(thread.id);
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ sessionId: session.id });
    expect(await statusOf(session.id)).toMatchObject({ status: 'paused', source: 'agent_took_ownership' });
  });
});

describe('ticket owner changed', () => {
  it('pauses the AI when an agent takes the ticket, naming the agent, and mirrors it onto the ticket', async () => {
    const { ticket, session } = await conversationWithTicket();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId, actingUserId: JANE.userId });
    await h.sync();
    expect(await statusOf(session.id)).toMatchObject({ status: 'paused', source: 'agent_took_ownership', by: { kind: 'hubspot_owner', id: JANE.ownerId } });
    await expect.poll(async () => ((await statusOf(session.id)) as { by?: { name: string | null } }).by?.name).toBe(JANE.name);
    expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('paused');
  });

  it('records a second agent as the new holder, and a replay of the same change does nothing', async () => {
    const { ticket, session } = await conversationWithTicket();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    const [takeover] = h.sandbox.state.webhookEvents.filter((e) => e['propertyName'] === 'hubspot_owner_id');
    await h.sync();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: SAM.ownerId });
    await h.sync();
    await h.ingest([{ ...takeover!, attemptNumber: 3 }]);
    expect(await h.drainInbox()).toEqual([]);
    const events = await h.deps.store.aiControl.listEvents(session.id, 10);
    expect(events.map((e) => [e.type, e.actor.id])).toEqual([
      ['pause_cause_changed', SAM.ownerId],
      ['ai_paused', JANE.ownerId],
    ]);
  });

  it.each([
    ['stay_paused', 'paused'],
    ['resume', 'active'],
  ] as const)('on unassignment follows the organization policy %s', async (policy, expected) => {
    await h.deps.store.organizations.updateSettings(h.organization.id, { unassignPolicy: policy });
    const { ticket, session } = await conversationWithTicket();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    await h.sync();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: null });
    await h.sync();
    expect((await statusOf(session.id)).status).toBe(expected);
  });

  it('keeps the AI paused when the ticket owner is cleared while an agent still holds the thread (policy resume)', async () => {
    await h.deps.store.organizations.updateSettings(h.organization.id, { unassignPolicy: 'resume' });
    const { thread, ticket, session } = await conversationWithTicket();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: SAM.userId });
    await h.sync();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: null });
    await h.sync();
    expect((await statusOf(session.id)).status).toBe('paused');
    h.sandbox.control.assignThread({ portalId: PORTAL, threadId: thread.id, userId: null });
    await h.sync();
    expect((await statusOf(session.id)).status).toBe('active');
  });

  it('ignores a late assignment older than an unassignment already applied', async () => {
    await h.deps.store.organizations.updateSettings(h.organization.id, { unassignPolicy: 'resume' });
    const { ticket, session } = await conversationWithTicket();
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId });
    const assigned = h.sandbox.state.webhookEvents.splice(0);
    h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: null });
    await h.sync(); // the unassignment arrives first
    await h.ingest(assigned.map((e) => ({ ...e })) as Record<string, unknown>[]);
    expect(await h.drainInbox()).toEqual(['ignored']);
    expect((await h.deps.store.inbox.list({ status: 'ignored' })).map((r) => r.note)).toContain(
      'superseded: a later change of the same owner was already applied',
    );
    expect((await statusOf(session.id)).status).toBe('active');
  });

  it('does not take its own owner assignment (a handoff) for an agent taking over', async () => {
    const { ticket, session } = await conversationWithTicket();
    await h.deps.hubspot.updateTicket(PORTAL, ticket.id, { hubspot_owner_id: JANE.ownerId });
    await h.ingest();
    expect(await h.drainInbox()).toEqual(['ignored']);
    expect((await statusOf(session.id)).status).toBe('active');
  });
});

describe('ticket deleted', () => {
  it('unlinks the ticket but keeps the session and its history; later owner changes act on nothing', async () => {
    const { ticket, session } = await conversationWithTicket();
    h.sandbox.control.deleteTicket({ portalId: PORTAL, ticketId: ticket.id });
    await h.sync();
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ status: 'unlinked' });
    expect(await h.deps.store.sessions.get(session.id)).toMatchObject({ status: 'open' });
    expect((await h.deps.store.chatHistory.listRecent(session.id, 10)).length).toBeGreaterThan(0);
    const [ownerChange] = await h.ingest([
      { eventId: 1, subscriptionId: 7662271, portalId: PORTAL, appId: h.deps.config.hubspot!.appId, occurredAt: Date.now() + 1, subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: Number(ticket.id), objectTypeId: '0-5', propertyName: 'hubspot_owner_id', propertyValue: JANE.ownerId },
    ]).then((r) => r.takeovers);
    expect(ownerChange).toBeDefined();
    expect(await h.drainInbox()).toEqual(['done']);
    expect((await statusOf(session.id)).status).toBe('active');
  });
});
