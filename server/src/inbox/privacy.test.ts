import { afterEach, beforeEach, expect, it } from 'vitest';
import { CUSTOMER, PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

it("erases a deleted contact's personal data from every one of their sessions, and records it", async () => {
  const other = h.sandbox.control.createContact({ portalId: PORTAL, email: 'other@example.com' });
  const first = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Where is my order? I live at 1 Main St' });
  const second = h.sandbox.control.createThread({ portalId: PORTAL, contactId: CUSTOMER, text: 'Hello' });
  const untouched = h.sandbox.control.createThread({ portalId: PORTAL, contactId: other.id, text: 'Hello from someone else' });
  await h.sync();

  h.sandbox.control.privacyDeleteContact({ portalId: PORTAL, contactId: CUSTOMER });
  await h.sync();

  for (const thread of [first, second]) {
    const session = (await h.deps.store.sessions.findByThread(PORTAL, thread.id))!;
    const history = await h.deps.store.chatHistory.listRecent(session.id, 10);
    expect(history.map((m) => m.role)).toEqual(['customer', 'ai']);
    expect(history.every((m) => m.text === '' && m.erasedAt === h.deps.clock.now())).toBe(true);
    const [audit] = await h.deps.store.aiControl.listEvents(session.id, 1);
    expect(audit).toMatchObject({ type: 'personal_data_erased', actor: { kind: 'system' }, detail: { why: 'contact_privacy_deletion', messages: 2 } });
    expect(JSON.stringify(audit)).not.toContain(CUSTOMER);
  }
  const kept = (await h.deps.store.sessions.findByThread(PORTAL, untouched.id))!;
  expect((await h.deps.store.chatHistory.listRecent(kept.id, 10))[0]!.text).toBe('Hello from someone else');
});

it('erases the privacy deletion of a contact we never talked to from its own event', async () => {
  const stranger = h.sandbox.control.createContact({ portalId: PORTAL, email: 'stranger@example.com' });
  h.sandbox.state.webhookEvents.splice(0);
  h.sandbox.control.privacyDeleteContact({ portalId: PORTAL, contactId: stranger.id });
  await h.ingest();
  expect(await h.drainInbox()).toEqual(['done']);
  const [event] = await h.deps.store.inbox.list({ status: 'done' });
  expect(event!.note).toBe('no session of this contact; its events erased');
});
