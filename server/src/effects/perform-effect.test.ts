import { AI_STATUS_PROPERTY_NAME, DEFAULT_HANDOFF_MESSAGE, HANDED_OFF_PROPERTY_NAME } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAiCommand } from '../ai-control/apply-command';
import { AI_ACTOR } from '../sync/actors';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';
import { ensureAiStatusProperty } from '../connect/ensure-property';
import { runEffect } from './effects-worker';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const portal = () => h.sandbox.state.portals[String(PORTAL)]!;
const jane = { kind: 'hubspot_owner' as const, id: JANE.ownerId, name: 'Jane Agent' };

async function ticketedConversation(text = 'Where is my order?') {
  const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text });
  const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', threadId: thread.id });
  await h.sync();
  const session = (await h.deps.store.sessions.findByThread(PORTAL, thread.id))!;
  return { thread, ticket, session };
}

describe('effects', () => {
  it('writes the AI status onto the ticket, recreating the property an admin deleted', async () => {
    const { ticket, session } = await ticketedConversation();
    delete portal().ticketProperties[AI_STATUS_PROPERTY_NAME];
    await applyAiCommand(h.deps, session.id, { type: 'ownerAssigned', owner: jane, detectedBy: 'webhook' }, h.deps.clock.now());
    await h.drainEffects();
    expect(portal().ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeDefined();
    expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('paused');
    expect(await h.deps.store.outbox.countUnfinished()).toEqual({});
  });

  it('requests a handoff: note with the transcript, owner and stage on the ticket, status handoff', async () => {
    const { ticket, session } = await ticketedConversation('Where is my order? <script>x</script>');
    await applyAiCommand(
      h.deps,
      session.id,
      { type: 'requestHandoff', by: AI_ACTOR, reason: 'Customer is upset & wants a refund', requestId: 'r1', assignOwnerId: JANE.ownerId, pipelineStage: '3' },
      h.deps.clock.now(),
    );
    await h.sync();
    const t = portal().tickets[ticket.id]!;
    expect(t.properties).toMatchObject({ [AI_STATUS_PROPERTY_NAME]: 'handoff', hubspot_owner_id: JANE.ownerId, hs_pipeline_stage: '3' });
    const notes = h.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId: ticket.id });
    expect(notes).toHaveLength(1);
    const body = notes[0]!.properties['hs_note_body']!;
    expect(body).toContain('Reason: Customer is upset &amp; wants a refund');
    expect(body).toContain('<strong>Customer</strong>');
    expect(body).toContain('Where is my order? &lt;script&gt;x&lt;/script&gt;');
    expect(body).toContain('<strong>OpenCX AI</strong>');
    // Our own owner assignment came back as a webhook and was not taken for an agent's takeover.
    expect((await h.deps.store.aiControl.load(session.id))?.control.state.status).toBe('handoff_requested');
  });

  it('writes the note once per ticket when a retry follows a partial failure', async () => {
    const { ticket, session } = await ticketedConversation();
    await applyAiCommand(h.deps, session.id, { type: 'requestHandoff', by: AI_ACTOR, reason: 'help', requestId: 'r1' }, h.deps.clock.now());
    const due = await h.deps.store.outbox.claimDue({ now: h.deps.clock.now(), limit: 10, leaseMs: 60_000 });
    await runEffect(h.deps, due[0]!); // setTicketAiStatus
    const [note] = await h.deps.store.outbox.claimDue({ now: h.deps.clock.now(), limit: 10, leaseMs: 60_000 });
    expect(note!.effect.type).toBe('writeHandoffNote');
    await runEffect(h.deps, note!);
    // The same effect delivered again (its lease expired before it was marked done).
    await runEffect(h.deps, note!);
    expect(h.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId: ticket.id })).toHaveLength(1);
  });

  describe('the ticket update of a handoff (AI status and handoff mark together)', () => {
    const workflow = { kind: 'workflow' as const, id: '4242', name: null };
    const requestHandoff = (sessionId: string) =>
      applyAiCommand(h.deps, sessionId, { type: 'requestHandoff', by: workflow, reason: 'A person is needed', requestId: 'cb-1' }, h.deps.clock.now());
    const calls = () => ({ ...(h.sandbox.state.apiCalls[String(PORTAL)] ?? {}) });
    const since = (before: Record<string, number>) =>
      Object.fromEntries(Object.entries(calls()).map(([op, n]) => [op, n - (before[op] ?? 0)]).filter(([, n]) => n !== 0));
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const deadEffects = async () => (await h.deps.store.operations.listDeadLetters(PORTAL, 10)).filter((d) => d.kind === 'effect').map((d) => d.what);

    it('hands a linked ticket off in 4 HubSpot calls, the ticket ending with both the AI status and the mark', async () => {
      // As the benchmark does (bench/lib/hubspot-calls.ts, request-handoff): a conversation with a linked ticket,
      // a follow-up customer message the intake read, OpenCX's properties created (as on install), then the
      // workflow's handoff, counted until everything it caused is done.
      const { thread, ticket, session } = await ticketedConversation();
      h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: 'Thanks. How long does express shipping take?' });
      await h.sync();
      expect((await h.deps.store.aiControl.load(session.id))?.control.state.status ?? 'active').toBe('active');
      expect(await ensureAiStatusProperty(h.deps, PORTAL)).toBe(true);
      const before = calls();
      await requestHandoff(session.id);
      // The effects only: like the benchmark, which delivers no webhook of the sandbox's to the server, this does
      // not count the intake reading back the notice it posted (its echo).
      await h.drainEffects();
      const made = since(before);
      // The comment, one update of the ticket, the note, the customer's notice: no second PATCH, no messages.list.
      expect(total(made)).toBe(4);
      expect(made['messages.list']).toBeUndefined();
      expect(Object.entries(made).filter(([op]) => /ticket/i.test(op) && !/note/i.test(op)).map(([, n]) => n)).toEqual([1]);
      expect(portal().tickets[ticket.id]!.properties).toMatchObject({ [AI_STATUS_PROPERTY_NAME]: 'handoff', [HANDED_OFF_PROPERTY_NAME]: 'true' });
      expect(h.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId: ticket.id })).toHaveLength(1);
      const messages = h.sandbox.state.portals[String(PORTAL)]!.threads[thread.id]!.messages;
      expect(messages.filter((m) => m.text === DEFAULT_HANDOFF_MESSAGE)).toHaveLength(1);
      expect(await h.deps.store.outbox.countUnfinished()).toEqual({});
    });

    it('recreates both properties an admin deleted, in the same update', async () => {
      const { ticket, session } = await ticketedConversation();
      delete portal().ticketProperties[AI_STATUS_PROPERTY_NAME];
      delete portal().ticketProperties[HANDED_OFF_PROPERTY_NAME];
      await requestHandoff(session.id);
      await h.sync();
      expect(portal().ticketProperties[AI_STATUS_PROPERTY_NAME]).toBeDefined();
      expect(portal().ticketProperties[HANDED_OFF_PROPERTY_NAME]).toBeDefined();
      expect(portal().tickets[ticket.id]!.properties).toMatchObject({ [AI_STATUS_PROPERTY_NAME]: 'handoff', [HANDED_OFF_PROPERTY_NAME]: 'true' });
      expect(await h.deps.store.outbox.countUnfinished()).toEqual({});
    });

    it('a refused AI status does not cost the ticket its mark: the status effect fails alone, the handoff goes on', async () => {
      const { ticket, session } = await ticketedConversation();
      const status = portal().ticketProperties[AI_STATUS_PROPERTY_NAME]!;
      status.options = status.options.filter((o) => o.value !== 'handoff'); // an admin removed the option
      await requestHandoff(session.id);
      await h.sync();
      expect(portal().tickets[ticket.id]!.properties[HANDED_OFF_PROPERTY_NAME]).toBe('true');
      expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).not.toBe('handoff');
      expect(h.sandbox.control.notesForTicket({ portalId: PORTAL, ticketId: ticket.id })).toHaveLength(1);
      expect(await deadEffects()).toEqual(['setTicketAiStatus']);
    });

    it('a refused mark does not cost the ticket its AI status: the handoff effect fails on the mark, as before', async () => {
      const { ticket, session } = await ticketedConversation();
      expect(await ensureAiStatusProperty(h.deps, PORTAL)).toBe(true);
      portal().ticketProperties[HANDED_OFF_PROPERTY_NAME]!.modificationMetadata.readOnlyValue = true;
      await requestHandoff(session.id);
      await h.sync();
      expect(portal().tickets[ticket.id]!.properties[AI_STATUS_PROPERTY_NAME]).toBe('handoff');
      expect(portal().tickets[ticket.id]!.properties[HANDED_OFF_PROPERTY_NAME]).toBeUndefined();
      expect(await deadEffects()).toEqual(['writeHandoffNote']);
    });
  });

  it('unlinks a ticket HubSpot no longer has instead of failing forever', async () => {
    const { ticket, session } = await ticketedConversation();
    portal().tickets[ticket.id]!.archived = true; // gone without our hearing of it
    await applyAiCommand(h.deps, session.id, { type: 'ownerAssigned', owner: jane, detectedBy: 'webhook' }, h.deps.clock.now());
    await h.drainEffects();
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).toMatchObject({ status: 'unlinked' });
    expect(await h.deps.store.outbox.countUnfinished()).toEqual({});
  });

  it('hands the conversation to a person when the AI reply can never be posted', async () => {
    const { session } = await ticketedConversation('Hello');
    h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: session.threadId!, text: 'Where is my order?' });
    await h.ingest();
    await h.drainInbox();
    h.sandbox.control.addFault({ pathPrefix: '/conversations', method: 'POST', status: 400 });
    await h.drainEffects();
    expect((await h.deps.store.aiControl.load(session.id))?.control.state).toMatchObject({
      status: 'handoff_requested',
      reason: expect.stringContaining("could not post the AI's reply"),
    });
  });
});
