// The OpenCX adapter behind the AiAgent interface, on a real database and the OpenCX API stand-in over HTTP.
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../../testing/test-deps';
import { useOpenCxTestKit } from '../../../testing/opencx-test-kit';
import type { AiHistoryEntry, AiReplyInput } from '../agent';
import { OpenCxApiError } from './errors';
import { unsentCustomerMessages } from './opencx-agent';

const KEY = 'ocx_live_agent_test_4f2a';
const kit = useOpenCxTestKit(KEY, { channel: 'chat', contactId: '101', threadId: '7788', portalId: 62515 });
const { opencx } = kit;

const customer = (text: string, at: number): AiHistoryEntry => ({ role: 'customer', text, at });
const input = (history: AiHistoryEntry[]): AiReplyInput => ({ organizationId: kit.session().organizationId, sessionId: kit.session().id, channel: kit.session().channel, history });
const useKey = () => kit.deps().store.opencxKeys.save(kit.session().organizationId, KEY, TEST_NOW);

describe('OpenCX API agent', () => {
  it('answers with the embedded FAQ agent while the organization has no key, and never calls OpenCX', async () => {
    expect(await kit.deps().ai.reply(input([customer('Where is my order?', 1)]))).toMatchObject({ kind: 'answer', text: expect.stringMatching(/tracking link/) });
    expect(opencx.requests()).toEqual([]);
  });

  it('creates the OpenCX session once with contact and channel, sends each customer message once, and answers with autopilotResponse', async () => {
    await useKey();
    opencx.script('order', { text: 'Your order ships today.' });
    expect(await kit.deps().ai.reply(input([customer('Where is my order?', 10)]))).toEqual({ kind: 'answer', text: 'Your order ships today.' });
    const history = [customer('Where is my order?', 10), { role: 'ai' as const, text: 'Your order ships today.', at: 11 }, customer('And the refund?', 12), customer('I paid twice', 13)];
    opencx.script('refund', { text: 'Refunds take 5 days.' });
    expect(await kit.deps().ai.reply(input(history))).toMatchObject({ kind: 'answer', text: expect.stringMatching(/^Refunds take 5 days\.\n\n.+/) });

    const created = opencx.requests('POST', /^\/chat\/sessions$/);
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toEqual({
      channel: { type: 'web' },
      custom_data: { hubspot_portal_id: '62515', hubspot_thread_id: '7788' },
      contact: { custom_data: { hubspot_contact_id: '101' } },
    });
    const sent = opencx.requests('POST', /\/send$/).map((r) => r.body as { sender: string; message: { text: string } });
    expect(sent.map((b) => [b.sender, b.message.text])).toEqual([['contact', 'Where is my order?'], ['contact', 'And the refund?'], ['contact', 'I paid twice']]);
    const link = await kit.deps().store.opencxSessions.get(kit.session().id);
    expect(link).toMatchObject({ opencxSessionId: [...opencx.state.sessions.keys()][0], forwardedUntil: 13 });
    // Asked again about the same messages (a retry): nothing is sent twice.
    expect(await kit.deps().ai.reply(input(history))).toMatchObject({ kind: 'no_reply' });
    expect(opencx.requests('POST', /\/send$/)).toHaveLength(3);
  });

  it('treats sessionIsHandedOff as a handoff, and starts a new OpenCX session if asked again after it', async () => {
    await useKey();
    expect(await kit.deps().ai.reply(input([customer('I want to talk to a human', 10)]))).toMatchObject({ kind: 'handoff', reason: expect.stringMatching(/handed this conversation to a person/) });
    expect((await kit.deps().store.opencxSessions.get(kit.session().id))?.handedOffAt).toBe(TEST_NOW);
    expect(await kit.deps().ai.reply(input([customer('Hello again', 20)]))).toMatchObject({ kind: 'answer' });
    expect(opencx.requests('POST', /^\/chat\/sessions$/)).toHaveLength(2);
  });

  it('hands off when the OpenCX AI reports an error for the message', async () => {
    await useKey();
    opencx.script('refund', { error: 'knowledge base unavailable' });
    expect(await kit.deps().ai.reply(input([customer('refund?', 10)]))).toMatchObject({ kind: 'handoff', reason: expect.stringContaining('knowledge base unavailable') });
  });

  it('records a 401 as the key\'s last error for the settings page, and a later success clears it', async () => {
    await useKey();
    opencx.failNext({ status: 401 });
    const error = await kit.deps().ai.reply(input([customer('Hi', 10)])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenCxApiError);
    expect(error).toMatchObject({ transient: false, code: 'rejected', failure: 'key_refused' });
    expect((await kit.deps().store.opencxKeys.get(kit.session().organizationId))?.lastError).toMatchObject({ code: 'key_refused', message: expect.stringMatching(/401/), at: TEST_NOW });
    await kit.deps().ai.reply(input([customer('Hi', 10)]));
    expect((await kit.deps().store.opencxKeys.get(kit.session().organizationId))?.lastError).toBeNull();
  });

  it('leaves a transient failure unrecorded and the message unsent, so the retry sends it', async () => {
    await useKey();
    opencx.failNext({ status: 503, pathEndsWith: '/send' });
    await expect(kit.deps().ai.reply(input([customer('Hi', 10)]))).rejects.toMatchObject({ transient: true, failure: 'server_error' });
    expect((await kit.deps().store.opencxKeys.get(kit.session().organizationId))?.lastError).toBeNull();
    expect(await kit.deps().ai.reply(input([customer('Hi', 10)]))).toMatchObject({ kind: 'answer' });
    expect(opencx.requests('POST', /\/send$/).map((r) => r.status)).toEqual([503, 201]);
    expect(opencx.requests('POST', /^\/chat\/sessions$/)).toHaveLength(1);
  });

  it('opens a new OpenCX session when OpenCX no longer knows the linked one', async () => {
    await useKey();
    await kit.deps().ai.reply(input([customer('Hi', 10)]));
    opencx.state.sessions.clear();
    expect(await kit.deps().ai.reply(input([customer('Hi', 10), { role: 'ai', text: 'x', at: 11 }, customer('Still there?', 12)]))).toMatchObject({ kind: 'answer' });
    expect(opencx.requests('POST', /\/send$/).map((r) => r.status)).toEqual([201, 404, 201]);
  });
});

describe('unsentCustomerMessages', () => {
  it('takes the customer messages since the last reply and after the forwarded mark', () => {
    const h: AiHistoryEntry[] = [customer('a', 1), { role: 'agent', text: 'b', at: 2 }, customer('c', 3), { role: 'system', text: 'd', at: 4 }, customer('e', 5)];
    expect(unsentCustomerMessages(h, 0).map((m) => m.text)).toEqual(['c', 'e']);
    expect(unsentCustomerMessages(h, 3).map((m) => m.text)).toEqual(['e']);
    expect(unsentCustomerMessages(h, 5)).toEqual([]);
  });
});
