// Tenant isolation: a request HubSpot correctly signed for portal A can never read or change portal B's data,
// whatever ids of B it names. Attacks are generated (fast-check) over every signed endpoint — the card (GET and
// POST), the four workflow actions, and webhook events of every kind processed by the real workers — naming B's
// ticket, thread, message, contact and session ids, and ids both portals use. B's rows must be unchanged, and no
// answer may contain anything of B's.
import fc from 'fast-check';
import { WORKFLOW_ACTION_NAMES } from '@opencx/shared';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { connectPortalOverOAuth } from '../support/connected-portal';
import { sendSigned } from '../support/signed-requests';
import { withReadOnlyDb, integrityCheck } from '../support/sqlite-readonly';
import { startStack, type Stack } from '../support/stack';

const A = 62515;
const B = 73626;
const SHARED_THREAD = '5550001';
const SHARED_CONTACT = '4440001';

let stack: Stack;
interface Tenant {
  portalId: number;
  organizationId: string;
  threadId: string;
  ticketId: string;
  contactId: string;
  messageId: string;
  sessionIds: string[];
  secrets: string[];
}
let a: Tenant;
let b: Tenant;

const deps = () => stack.server.deps;

async function settled(): Promise<void> {
  await vi.waitFor(
    async () => {
      await stack.sandbox.idle();
      const inbox = await deps().store.inbox.countByStatus();
      const effects = Object.values(await deps().store.outbox.countUnfinished()).reduce((x, y) => x + y, 0);
      if (inbox.pending + inbox.processing + effects > 0) throw new Error(`still working: ${JSON.stringify({ inbox, effects })}`);
    },
    { timeout: 15_000, interval: 50 },
  );
}

/** A connected portal with a real conversation (the AI answered it), a linked ticket, and a session on ids both portals use. */
async function tenant(portalId: number, name: string): Promise<Tenant> {
  const { control } = stack.sandbox;
  const bot = control.createUser({ portalId, email: `ai@${name}.example.com`, firstName: 'OpenCX', lastName: 'AI' });
  const { organization } = await connectPortalOverOAuth(stack, { portalId, userId: bot.userId, organization: { id: `org_${name}` } });
  const contact = control.createContact({ portalId, email: `customer@${name}.example.com` });
  const secret = `${name} secret: my card is 4111-${portalId}`;
  const thread = control.createThread({ portalId, contactId: contact.id, channel: 'EMAIL', text: `Where is my order? ${secret}`, subject: 'Order' });
  const ticket = control.createTicket({ portalId, subject: `${name} order`, contactId: contact.id, threadId: thread.id });
  await settled();
  const session = (await deps().store.sessions.findByThread(portalId, thread.id))!;
  const now = deps().clock.now();
  const shared = `ses_${name}_shared`;
  await deps().store.sessions.create({ id: shared, organizationId: organization.id, portalId, threadId: SHARED_THREAD, contactId: SHARED_CONTACT, channel: 'chat', status: 'open', createdAt: now, updatedAt: now });
  await deps().store.chatHistory.append({ id: `msg_${name}_shared`, sessionId: shared, role: 'customer', text: `${name} shared-id secret`, hubspotMessageId: `hs_${name}_shared`, createdAt: now, erasedAt: null });
  await deps().store.signatures.save({ organizationId: organization.id, enabled: true, text: `— ${name} signature`, updatedAt: now });
  return {
    portalId,
    organizationId: organization.id,
    threadId: thread.id,
    ticketId: ticket.id,
    contactId: contact.id,
    messageId: thread.messages[0]!.id,
    sessionIds: [session.id, shared],
    secrets: [secret, `${name} shared-id secret`, `${name} signature`, session.id, shared, organization.id],
  };
}

/** Every row of B's: its organization, connection, sessions and everything hanging off them. */
function rowsOf(t: Tenant): Record<string, unknown[]> {
  return withReadOnlyDb(deps().config.databasePath, (db) => {
    const sessions = JSON.stringify(t.sessionIds);
    const bySession = (table: string, order: string) =>
      db.prepare(`SELECT * FROM ${table} WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY ${order}`).all(sessions);
    return {
      organizations: db.prepare('SELECT * FROM organizations WHERE id = ?').all(t.organizationId),
      connection: db.prepare('SELECT * FROM hubspot_connections WHERE organization_id = ?').all(t.organizationId),
      sessions: db.prepare('SELECT * FROM chat_sessions WHERE organization_id = ? ORDER BY id').all(t.organizationId),
      history: bySession('chat_history', 'id'),
      links: db.prepare('SELECT * FROM ticket_links WHERE portal_id = ? ORDER BY ticket_id').all(t.portalId),
      control: bySession('ai_control', 'session_id'),
      events: bySession('ai_control_events', 'id'),
      effects: bySession('effects_outbox', 'id'),
      replies: bySession('ai_replies', 'request_key'),
      signature: db.prepare('SELECT * FROM signature_settings WHERE organization_id = ?').all(t.organizationId),
    };
  });
}

beforeAll(async () => {
  stack = await startStack({ start: { workers: { inbox: { pollIntervalMs: 20 }, effects: { pollIntervalMs: 20 } } } });
  stack.sandbox.control.createPortal({ portalId: B });
  a = await tenant(A, 'alpha');
  b = await tenant(B, 'bravo');
  // B's AI is paused by a workflow (a state an attack could try to flip).
  await fetchSigned('POST', '/hubspot/actions/pause-ai', { callbackId: 'bravo-own-call', origin: { portalId: B }, object: { objectId: b.ticketId, objectType: 'TICKET' }, inputFields: { reason: 'bravo' } });
  await settled();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

async function fetchSigned(method: string, pathAndQuery: string, body?: unknown) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const base = deps().config.publicBaseUrl;
  const res = await sendSigned(`${stack.serverUrl}${pathAndQuery}`, { secret: stack.sandbox.appCredentials.clientSecret, method, signedUrl: `${base}${pathAndQuery}`, body: text });
  return { status: res.status, text: await res.text() };
}

it('a request signed for portal A naming any of B’s ids never reads or changes B’s data', { timeout: 60_000 }, async () => {
  const before = rowsOf(b);
  expect(before.control).toHaveLength(1);

  const bIds = fc.constantFrom(b.ticketId, b.threadId, b.contactId, b.messageId, SHARED_THREAD, SHARED_CONTACT, ...b.sessionIds);
  const card = fc.tuple(fc.constantFrom('GET', 'POST'), bIds, fc.constantFrom('pause', 'resume', 'request_handoff'), fc.constantFrom('', `&portalId=${A}`, `&userId=9586504&userEmail=x@y.z`)).map(
    ([method, id, action, extra]) => ({ kind: 'card' as const, method, path: `/hubspot/card/ai-status?portalId=${A}&ticketId=${encodeURIComponent(id)}&userId=9586504${extra}`, body: method === 'POST' ? { action } : undefined }),
  );
  const action = fc.tuple(fc.constantFrom(...WORKFLOW_ACTION_NAMES), fc.constantFrom('TICKET', 'CONTACT'), bIds, fc.constantFrom('fresh', 'bravo-own-call')).map(([name, objectType, id, callback]) => ({
    kind: 'action' as const,
    method: 'POST',
    path: `/hubspot/actions/${name}`,
    body: {
      callbackId: callback === 'fresh' ? `attack-${Math.random().toString(36).slice(2)}` : callback,
      origin: { portalId: A },
      object: { objectId: id, objectType: name === 'request-handoff' ? 'TICKET' : objectType },
      inputFields: name === 'request-handoff' ? { reason: 'attack' } : name === 'pause-ai' ? { reason: 'attack' } : {},
    },
  }));
  let eventId = 7_000_000;
  const numeric = (id: string) => (/^\d+$/.test(id) ? Number(id) : 999_999);
  const webhook = fc.tuple(
    fc.constantFrom('assign', 'unassign', 'owner', 'unowner', 'ticketCreated', 'ticketDeleted', 'threadCreated', 'threadDeleted', 'threadPrivacy', 'contactPrivacy', 'message'),
    bIds,
  ).map(([kind, id]) => {
    const base = { eventId: eventId++, subscriptionId: 1, portalId: A, appId: stack.sandbox.appCredentials.appId, occurredAt: Date.now(), attemptNumber: 0, objectId: numeric(id) };
    const event = {
      assign: { subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo', propertyValue: 'A-9586504' },
      unassign: { subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo', propertyValue: '' },
      owner: { subscriptionType: 'object.propertyChange', objectTypeId: '0-5', propertyName: 'hubspot_owner_id', propertyValue: '52550153' },
      unowner: { subscriptionType: 'object.propertyChange', objectTypeId: '0-5', propertyName: 'hubspot_owner_id', propertyValue: '' },
      ticketCreated: { subscriptionType: 'object.creation', objectTypeId: '0-5' },
      ticketDeleted: { subscriptionType: 'object.deletion', objectTypeId: '0-5' },
      threadCreated: { subscriptionType: 'conversation.creation' },
      threadDeleted: { subscriptionType: 'conversation.deletion' },
      threadPrivacy: { subscriptionType: 'conversation.privacyDeletion' },
      contactPrivacy: { subscriptionType: 'contact.privacyDeletion' },
      message: { subscriptionType: 'conversation.newMessage', objectId: numeric(b.threadId), messageId: b.messageId, messageType: 'MESSAGE' },
    }[kind];
    return { kind: 'webhook' as const, method: 'POST', path: '/hubspot/webhooks', body: [{ ...base, ...event }] };
  });

  await fc.assert(
    fc.asyncProperty(fc.oneof(card, action, webhook), async (attack) => {
      const answer = await fetchSigned(attack.method, attack.path, attack.body);
      expect(answer.status, `${attack.path} ${answer.text}`).toBeLessThan(500);
      for (const secret of b.secrets) expect(answer.text, `${attack.path} leaked ${secret}`).not.toContain(secret);
      if (attack.kind === 'card' && answer.status === 200) expect(JSON.parse(answer.text)).not.toHaveProperty('sessionId');
    }),
    { numRuns: 300 },
  );
  await settled();
  expect(rowsOf(b)).toEqual(before);
  // B's conversation is still B's: its card shows it to B, with B's state.
  const own = await fetchSigned('GET', `/hubspot/card/ai-status?portalId=${B}&ticketId=${b.ticketId}&userId=1`);
  expect(JSON.parse(own.text)).toMatchObject({ view: 'status', sessionId: b.sessionIds[0], ai: { status: 'paused', source: 'workflow' } });
  expect(integrityCheck(deps().config.databasePath)).toBe('ok');
});
