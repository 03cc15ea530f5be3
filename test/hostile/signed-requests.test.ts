// Hostile input, part 2: requests that carry HubSpot signatures. Correctly signed garbage (random, mutated and
// wrongly-typed bodies and queries) is a 400, never a 5xx; a replayed request has one effect; stale, future-dated,
// tampered and wrongly-keyed signatures are 401 and change nothing.
import fc from 'fast-check';
import { WORKFLOW_ACTION_NAMES } from '@opencx/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV2, signV3 } from '../sandbox/index';
import { withReadOnlyDb } from '../support/sqlite-readonly';
import { hostileBody, headerText } from './fuzz-arbitraries';
import { expectDatabaseSound, PORTAL_A, PORTAL_B, PORTAL_C, problemWith, read, request, signed, snapshot, startHostile, type Hostile } from './hostile-kit';

let h: Hostile;
beforeAll(async () => {
  h = await startHostile();
});
afterAll(async () => {
  await h?.close();
});

const WEBHOOKS = '/hubspot/webhooks';
const CARD = '/hubspot/card/ai-status';
const FIVE_MINUTES = 5 * 60_000;

/** The path and query as the app sees them (URL normalisation), which is what HubSpot would have signed. */
const normalized = (path: string) => {
  const url = new URL(path, 'http://localhost');
  return url.pathname + url.search;
};

async function sendSigned(method: string, path: string, body: string, extra: Record<string, string> = {}) {
  const target = normalized(path);
  const res = await request(h, method, target, { headers: { 'content-type': 'application/json', ...signed(h, method, target, body), ...extra }, body });
  return read(res);
}

// The inbox grows with every valid delivery: it is counted, not compared.
const inboxCount = () =>
  withReadOnlyDb(h.deps.config.databasePath, (db) => (db.prepare('SELECT count(*) AS n FROM webhook_inbox').get() as { n: number }).n);

/** A webhook event HubSpot could send for the unconnected portal C. */
const eventFor = (eventId: number, extra: Record<string, unknown> = {}) => ({
  eventId,
  subscriptionId: 7662277,
  portalId: PORTAL_C,
  appId: Number(h.sandbox.appCredentials.appId),
  occurredAt: h.deps.clock.now() - 1000,
  subscriptionType: 'conversation.newMessage',
  attemptNumber: 0,
  objectId: 900 + eventId,
  messageId: `m${eventId}`,
  messageType: 'MESSAGE',
  ...extra,
});

/** Mutations of a valid event: a field removed, retyped, or given an extreme value. */
const mutatedEvent = fc
  .tuple(
    fc.nat({ max: 1_000_000 }),
    fc.constantFrom('eventId', 'subscriptionId', 'portalId', 'appId', 'occurredAt', 'subscriptionType', 'attemptNumber', 'objectId', 'messageId', 'messageType', 'propertyName', 'propertyValue'),
    fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 53), 1e308, 0.5, Number.MAX_SAFE_INTEGER, 'x', '', true, [], {}, '__proto__'),
      fc.string({ maxLength: 40 }),
      fc.integer(),
    ),
  )
  .map(([id, field, value]) => {
    const event: Record<string, unknown> = eventFor(id);
    if (value === undefined) delete event[field];
    else event[field] = value;
    return event;
  });

describe('correctly signed requests with hostile content', () => {
  it('webhooks: random and mutated batches are 200 or a 400 naming the problem, never a 5xx', async () => {
    const before = snapshot(h);
    const batch = fc.oneof(
      hostileBody.map((b) => (typeof b === 'string' ? b : Buffer.from(b).toString('latin1'))),
      fc.array(mutatedEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify(events)),
      fc.array(mutatedEvent, { minLength: 99, maxLength: 102 }).map((events) => JSON.stringify(events)),
    );
    await fc.assert(
      fc.asyncProperty(batch, async (body) => {
        const answer = await sendSigned('POST', WEBHOOKS, body);
        expect(problemWith(WEBHOOKS, answer), body.slice(0, 300)).toBeNull();
        expect([200, 400], `${answer.status} ${answer.text.slice(0, 200)}`).toContain(answer.status);
        if (answer.status === 400) expect(JSON.parse(answer.text).error.code).toMatch(/^(invalid_json|validation_failed)$/);
      }),
      { numRuns: 500 },
    );
    expect(snapshot(h)).toEqual(before);
    expectDatabaseSound(h);
  });

  it('workflow actions: random envelopes and inputs are answered (a 400 or a failed step), never a 5xx', async () => {
    const before = snapshot(h);
    // Mostly well-formed calls (so that they reach the action itself) with random inputs; some with one part
    // of the envelope replaced by anything at all.
    const inputFields = fc.record(
      {
        reason: fc.oneof(fc.string({ maxLength: 600 }), fc.integer(), fc.constant('')),
        pauseMinutes: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double()),
        minutes: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()),
        instruction: fc.oneof(fc.string({ maxLength: 2100 }), fc.constant(null)),
        ownerId: fc.oneof(fc.nat().map(String), fc.string({ maxLength: 12 }), fc.integer()),
        pipelineStage: fc.string({ maxLength: 120 }),
        note: fc.string({ maxLength: 600 }),
      },
      { requiredKeys: [] },
    );
    const wellFormed = fc.record({
      callbackId: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.uuid()),
      origin: fc.record({ portalId: fc.oneof(fc.constantFrom(PORTAL_A, PORTAL_B, PORTAL_C), fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(String(PORTAL_A))) }),
      context: fc.record({ source: fc.constant('WORKFLOWS'), workflowId: fc.nat() }, { requiredKeys: [] }),
      object: fc.record({
        objectId: fc.oneof(fc.nat({ max: 10_000 }).map(String), fc.nat(), fc.constant('4440002')),
        objectType: fc.constantFrom('TICKET', 'CONTACT', 'ticket'),
        properties: fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null)), { maxKeys: 3 }),
      }),
      inputFields: fc.oneof(inputFields, fc.constant(undefined)),
    });
    const call = fc.oneof(
      { weight: 4, arbitrary: wellFormed },
      {
        weight: 1,
        arbitrary: fc.tuple(wellFormed, fc.constantFrom('callbackId', 'origin', 'context', 'object', 'inputFields'), fc.anything()).map(([c, key, value]) => ({ ...c, [key]: value })),
      },
    ).filter((c) => {
      // Every call names objects no tenant has (the tenants' own records are for the isolation tests).
      const object = (c as { object?: { objectId?: unknown } }).object;
      return ![h.a.ticketId, h.b.ticketId, h.a.contactId, h.b.contactId].includes(String(object?.objectId));
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WORKFLOW_ACTION_NAMES), fc.oneof({ weight: 5, arbitrary: call.map((c) => JSON.stringify(c)) }, { weight: 1, arbitrary: hostileBody.map(String) }), async (action, body) => {
        const path = `/hubspot/actions/${action}`;
        const answer = await sendSigned('POST', path, body);
        expect(problemWith(path, answer), body.slice(0, 300)).toBeNull();
        expect([200, 400, 409], `${answer.status} ${answer.text.slice(0, 200)}`).toContain(answer.status);
        if (answer.status === 200) expect(JSON.parse(answer.text)).toMatchObject({ outputFields: expect.any(Object) });
      }),
      { numRuns: 400 },
    );
    expect(snapshot(h)).toEqual(before);
    expectDatabaseSound(h);
  });

  it('card: random queries and commands are answered (status view, 400 or 403), never a 5xx, and act on nothing', async () => {
    const before = snapshot(h);
    const protectedTickets = new Set([h.a.ticketId, h.b.ticketId]);
    const digits = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '9'.repeat(40), String(PORTAL_A), String(PORTAL_B), String(PORTAL_C)));
    const oddPart = fc.oneof(fc.constantFrom('', '-1', '1e3', '٣', ' 1', '0x10'), headerText(12));
    const part = fc.oneof({ weight: 4, arbitrary: digits }, { weight: 1, arbitrary: oddPart });
    const query = fc
      .record(
        {
          portalId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(String(PORTAL_A), String(PORTAL_B), String(PORTAL_C)) }, { weight: 1, arbitrary: part }),
          ticketId: part,
          userId: part,
          userEmail: fc.oneof(headerText(40), fc.constant('x'.repeat(400))),
          extra: fc.oneof(fc.constant(''), fc.webQueryParameters(), fc.constantFrom('portalId=1', 'ticketId=2', 'userId=3')),
        },
        { requiredKeys: ['portalId', 'ticketId'] },
      )
      .filter((q) => !protectedTickets.has(q.ticketId.trim()))
      .map((q) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) if (k !== 'extra') params.append(k, v);
        return `${params.toString()}${q.extra ? `&${q.extra}` : ''}`;
      });
    const command = fc.oneof(
      { weight: 4, arbitrary: fc.record({ action: fc.constantFrom('pause', 'resume', 'request_handoff', 'delete', ''), reason: fc.oneof(fc.string({ maxLength: 600 }), fc.integer()) }, { requiredKeys: [] }).map((c) => JSON.stringify(c)) },
      { weight: 1, arbitrary: hostileBody.map(String) },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST'), query, command, async (method, q, body) => {
        const path = `${CARD}?${q}`;
        const answer = await sendSigned(method, path, method === 'GET' ? '' : body);
        expect(problemWith(CARD, answer), `${method} ${path} ${body.slice(0, 200)}`).toBeNull();
        expect([200, 400, 403], `${answer.status} ${answer.text.slice(0, 200)}`).toContain(answer.status);
      }),
      { numRuns: 500 },
    );
    expect(snapshot(h)).toEqual(before);
    expectDatabaseSound(h);
  });
});

describe('signatures', () => {
  it('a replayed webhook delivery has one effect, and answers the same way', async () => {
    const body = JSON.stringify([eventFor(5_000_001), eventFor(5_000_002)]);
    const headers = { 'content-type': 'application/json', ...signed(h, 'POST', WEBHOOKS, body) };
    const first = await read(await request(h, 'POST', WEBHOOKS, { headers, body }));
    const count = inboxCount();
    const again = await Promise.all([1, 2, 3].map(async () => read(await request(h, 'POST', WEBHOOKS, { headers, body }))));
    expect(first).toMatchObject({ status: 200 });
    expect(JSON.parse(first.text)).toEqual({ received: 2, stored: 2 });
    for (const a of again) expect(JSON.parse(a.text)).toEqual({ received: 2, stored: 0 });
    expect(inboxCount()).toBe(count);
  });

  it('a replayed workflow-action call acts once and gets the first answer', async () => {
    const body = JSON.stringify({ callbackId: 'replay-1', origin: { portalId: PORTAL_C }, object: { objectId: '1', objectType: 'TICKET' }, inputFields: {} });
    const path = '/hubspot/actions/pause-ai';
    const answers = await Promise.all([1, 2, 3].map(() => sendSigned('POST', path, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it('refuses stale, future-dated, tampered and foreign signatures with 401, and stores nothing', async () => {
    const before = snapshot(h);
    const inbox = inboxCount();
    const body = JSON.stringify([eventFor(5_000_042)]);
    const now = h.deps.clock.now();
    type Case = { why: string; headers: Record<string, string>; body: string };
    const cases: fc.Arbitrary<Case> = fc.oneof(
      // Stale or future-dated beyond HubSpot's 5 minutes, otherwise correct.
      fc.tuple(fc.constantFrom(-1, 1), fc.integer({ min: 1, max: 10 ** 12 })).map(([sign, by]) => ({
        why: 'stale_timestamp',
        headers: signed(h, 'POST', WEBHOOKS, body, now + sign * (FIVE_MINUTES + by)),
        body,
      })),
      // Signed for another body, URL, method or secret; or the signature itself mangled.
      fc.constantFrom(
        { why: 'invalid_signature', headers: signed(h, 'POST', WEBHOOKS, body.replace('5000042', '5000043')), body },
        { why: 'invalid_signature', headers: signed(h, 'POST', `${WEBHOOKS}?x=1`, body), body },
        { why: 'invalid_signature', headers: signed(h, 'PUT', WEBHOOKS, body), body },
        { why: 'invalid_signature', headers: { 'X-HubSpot-Signature-v3': signV3('not-the-secret', 'POST', `${h.publicBaseUrl}${WEBHOOKS}`, body, now), 'X-HubSpot-Request-Timestamp': String(now) }, body },
        { why: 'invalid_signature', headers: { ...signed(h, 'POST', WEBHOOKS, body), 'X-HubSpot-Request-Timestamp': String(now + 1) }, body },
        { why: 'invalid_signature', headers: { 'X-HubSpot-Signature': signV2(h.secret, 'POST', `${h.publicBaseUrl}${WEBHOOKS}`, body), 'X-HubSpot-Signature-Version': 'v2' }, body },
      ),
      fc.tuple(fc.base64String({ minLength: 1, maxLength: 60 }), fc.integer({ min: -FIVE_MINUTES, max: FIVE_MINUTES })).map(([signature, skew]) => ({
        why: 'invalid_signature',
        headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(now + skew) },
        body,
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, fc.constantFrom(WEBHOOKS, '/hubspot/actions/pause-ai', CARD), async (c, path) => {
        // The same refusal on every signed endpoint (a signature for the webhook URL is wrong anywhere else).
        const expected = path === WEBHOOKS ? c.why : c.why === 'stale_timestamp' ? 'stale_timestamp' : 'invalid_signature';
        const headers = path === WEBHOOKS || c.why !== 'stale_timestamp' ? c.headers : signed(h, 'POST', path, c.body, Number(c.headers['X-HubSpot-Request-Timestamp']));
        const answer = await read(await request(h, 'POST', path, { headers: { 'content-type': 'application/json', ...headers }, body: c.body }));
        if (path !== WEBHOOKS && c.headers['X-HubSpot-Signature-Version'] === 'v2' && path.startsWith('/hubspot/actions')) {
          // Actions accept v2 (signed for the webhook URL here, so still wrong).
          expect(answer.status).toBe(401);
          return;
        }
        expect(answer.status, answer.text).toBe(401);
        expect(JSON.parse(answer.text).error.code).toBe(expected);
      }),
      { numRuns: 200 },
    );
    expect(inboxCount()).toBe(inbox);
    expect(snapshot(h)).toEqual(before);
    expectDatabaseSound(h);
  });

  it('a replayed card command has one effect (the second press finds it done)', async () => {
    const path = `${CARD}?portalId=${PORTAL_A}&ticketId=${h.a.ticketId}&userId=9586504`;
    const body = JSON.stringify({ action: 'resume' });
    const headers = { 'content-type': 'application/json', ...signed(h, 'POST', path, body) };
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await read(await request(h, 'POST', path, { headers, body })));
    expect(answers.map((a) => [a.status, JSON.parse(a.text).outcome])).toEqual([[200, 'resumed'], [200, 'already_active'], [200, 'already_active']]);
    const events = await h.deps.store.aiControl.listEvents(h.a.session.id, 10);
    expect(events.filter((e) => e.type === 'ai_resumed')).toHaveLength(1);
    expectDatabaseSound(h);
  });
});
