import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyAiCommand } from '../ai-control/apply-command';
import { PORTAL, startSyncHarness, type SyncHarness } from '../../testing/sync-harness';

let h: SyncHarness;
beforeEach(async () => {
  h = await startSyncHarness();
});
afterEach(() => h.close());

const TEXT = 'CANARY-TEXT-my-address-is-1-main-st';
const SECOND_TEXT = 'CANARY-SECOND-MESSAGE-9d8c';
const EMAIL = 'canary-email-5a4b@example.com';
const FIRST_NAME = 'CANARYFIRSTNAME';
const REASON = 'CANARY-REASON-customer-is-upset';
const CANARIES = [TEXT, SECOND_TEXT, EMAIL, FIRST_NAME, REASON, 'CANARY'];

const rawBytes = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));

it("leaves none of a deleted contact's personal data in the database file or its WAL", async () => {
  const contact = h.sandbox.control.createContact({ portalId: PORTAL, email: EMAIL, firstname: FIRST_NAME });
  const thread = h.sandbox.control.createThread({ portalId: PORTAL, contactId: contact.id, text: TEXT });
  await h.sync();
  h.sandbox.control.postCustomerMessage({ portalId: PORTAL, threadId: thread.id, text: SECOND_TEXT });
  await h.sync();
  const session = (await h.deps.store.sessions.findByThread(PORTAL, thread.id))!;
  // An agent pauses the AI from the card with a reason naming the customer's situation.
  const agent = { kind: 'hubspot_user' as const, id: '9586504', name: 'Jane Agent' };
  const decision = await applyAiCommand(h.deps, session.id, { type: 'pause', source: 'card', by: agent, reason: REASON }, h.deps.clock.now());
  expect(JSON.stringify(decision)).toContain(REASON);
  // A write still pending when the deletion arrives carries the reason too.
  h.sandbox.control.addFault({ pathPrefix: '/crm', status: 503 });
  await h.drainEffects();
  h.sandbox.control.clearFaults();

  const path = h.deps.config.databasePath;
  const scan = () => Buffer.concat([rawBytes(path), rawBytes(`${path}-wal`)]);
  // The scan finds the canaries while they are stored: it would catch them after the deletion too.
  const db = new Database(path, { readonly: true });
  const before = scan();
  for (const canary of [TEXT, SECOND_TEXT, REASON]) expect(before.includes(canary), canary).toBe(true);

  h.sandbox.control.privacyDeleteContact({ portalId: PORTAL, contactId: contact.id });
  await h.sync();

  const after = scan();
  for (const canary of CANARIES) {
    expect(after.includes(canary), canary).toBe(false);
    expect(after.includes(Buffer.from(canary, 'utf16le')), canary).toBe(false);
  }
  // The contact id, which is short, is checked where it was stored rather than by bytes.
  const tables = ['chat_sessions', 'ai_control', 'ai_control_events', 'effects_outbox', 'action_executions', 'webhook_inbox'];
  for (const table of tables) {
    const rows = JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all());
    expect(rows, table).not.toContain(`"contact_id":"${contact.id}"`);
    expect(rows, table).not.toMatch(new RegExp(`[":]${contact.id}[",}]`.replace('[":]', '(?:"|:)').replace('[",}]', '(?:"|,|\\}|\\\\)')));
  }
  db.close();
  // What is not personal stays: the session, its messages' authors and times, the audit of the erasure.
  expect((await h.deps.store.chatHistory.listRecent(session.id, 10)).map((m) => m.role)).toContain('customer');
  expect((await h.deps.store.aiControl.listEvents(session.id, 1))[0]!.type).toBe('personal_data_erased');
});
