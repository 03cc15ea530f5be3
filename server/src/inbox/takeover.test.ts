import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotApiGateway } from '../hubspot';
import { applyTakeoversNow } from './takeover';
import { CUSTOMER, JANE, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const statusOf = async (threadId: string) => {
  const session = await h.deps.store.sessions.findByThread(PORTAL, threadId);
  return (await h.deps.store.aiControl.load(session!.id))?.control.state ?? { status: 'active' };
};

/** A ticket whose conversation the AI answers, but which we have not linked yet (its creation is not processed). */
async function unlinkedTicketTakenByJane() {
  const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order?' });
  await h.sync();
  const ticket = h.sandbox.control.createTicket({ portalId: PORTAL, subject: 'Order', contactId: CUSTOMER, threadId: thread.id });
  h.sandbox.control.setTicketOwner({ portalId: PORTAL, ticketId: ticket.id, ownerId: JANE.ownerId, actingUserId: JANE.userId });
  await h.sandbox.idle();
  const intake = await h.ingest();
  expect(intake.takeovers).toHaveLength(1);
  return { thread, ticket, takeovers: intake.takeovers };
}

describe('applying a takeover inside the webhook request', () => {
  it("pauses the AI before answering, finding the ticket's conversation through HubSpot", async () => {
    const { thread, ticket, takeovers } = await unlinkedTicketTakenByJane();
    await applyTakeoversNow(h.deps, takeovers);
    expect(await statusOf(thread.id)).toMatchObject({ status: 'paused', source: 'agent_took_ownership' });
    expect(await h.deps.store.ticketLinks.findByTicket(PORTAL, ticket.id)).not.toBeNull();
  });

  it("answers at once when the portal's HubSpot budget is spent, and leaves the takeover to the worker", async () => {
    const { thread, takeovers } = await unlinkedTicketTakenByJane();
    const production = h.deps.hubspot;
    // One request per minute: the budget is spent by the first call, so the next would wait far past 2 s.
    h.deps.hubspot = createHubSpotApiGateway({ basePath: h.deps.config.hubspotApiBaseUrl, tokens: h.deps.tokens, limiter: { maxRequests: 1, intervalMs: 60_000 } });
    await h.deps.hubspot.getOwner(PORTAL, JANE.ownerId).catch(() => undefined);

    const started = performance.now();
    await applyTakeoversNow(h.deps, takeovers);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await statusOf(thread.id)).toMatchObject({ status: 'active' });
    const waiting = await h.deps.store.inbox.list({ status: 'pending' });
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.some((e) => e.lastError?.includes('budget exhausted'))).toBe(true);

    // Once the budget allows, the worker applies it (the retry is due after the limiter's wait).
    h.deps.hubspot = production;
    h.deps.clock.advance(5 * 60_000);
    await h.drainInbox();
    expect(await statusOf(thread.id)).toMatchObject({ status: 'paused', source: 'agent_took_ownership' });
  });
});
