// The two hooks the HubSpot event handlers call (an agent's reply, a closed thread), against the stand-in.
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../../testing/test-deps';
import { useOpenCxTestKit } from '../../../testing/opencx-test-kit';
import { agentIdOf, closeOpenCxSession, forwardAgentMessage } from './session-hooks';

const KEY = 'ocx_live_hooks_test_4f2a';
const kit = useOpenCxTestKit(KEY);
const { opencx } = kit;

/** The organization has a key and the AI already talked to the customer through OpenCX. */
async function answeredOnce(): Promise<string> {
  await kit.deps().store.opencxKeys.save(kit.session().organizationId, KEY, TEST_NOW);
  await kit.deps().ai.reply({ organizationId: kit.session().organizationId, sessionId: kit.session().id, channel: 'chat', history: [{ role: 'customer', text: 'Hi', at: 1 }] });
  return (await kit.deps().store.opencxSessions.get(kit.session().id))!.opencxSessionId;
}
const jane = { hubspotUserId: 'A-9586504', name: 'Jane Agent' };

describe('forwardAgentMessage', () => {
  it('sends the agent reply as an agent message taking the session from the AI, which then stays silent', async () => {
    const id = await answeredOnce();
    expect(await forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'Jane here, I will help.', agent: jane, takeOver: true })).toEqual({ kind: 'sent', handedOff: true });
    expect(opencx.requests('POST', /\/send$/).at(-1)!.body).toEqual({
      sender: 'agent', message: { type: 'text', text: 'Jane here, I will help.' }, agent: { id: 9586504, name: 'Jane Agent' }, should_take_over_session_from_ai: true,
    });
    expect(opencx.state.sessions.get(id)).toMatchObject({ takenOver: true, messages: [{ sender: 'contact' }, { sender: 'ai' }, { sender: 'agent', agent: { id: 9586504 } }] });
    expect((await kit.deps().store.opencxSessions.get(kit.session().id))?.handedOffAt).toBe(TEST_NOW);
  });

  it('sends a later agent reply without taking over again', async () => {
    await answeredOnce();
    await forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'Anything else?', agent: jane, takeOver: false });
    expect(opencx.requests('POST', /\/send$/).at(-1)!.body).not.toHaveProperty('should_take_over_session_from_ai');
  });

  it('skips conversations OpenCX never saw and organizations without a key', async () => {
    expect(await forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'x', agent: jane, takeOver: true })).toEqual({ kind: 'skipped', reason: 'no_opencx_session' });
    await answeredOnce();
    await kit.deps().store.opencxKeys.remove(kit.session().organizationId);
    expect(await forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'x', agent: jane, takeOver: true })).toEqual({ kind: 'skipped', reason: 'no_key' });
    expect(opencx.requests('POST', /\/send$/)).toHaveLength(1);
  });

  it('records a 403 for the settings page and throws it as permanent', async () => {
    await answeredOnce();
    opencx.failNext({ status: 403 });
    await expect(forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'x', agent: jane, takeOver: true })).rejects.toMatchObject({ failure: 'key_refused', transient: false });
    expect((await kit.deps().store.opencxKeys.get(kit.session().organizationId))?.lastError).toMatchObject({ code: 'key_refused', message: expect.stringMatching(/403/) });
  });
});

describe('closeOpenCxSession', () => {
  it('closes the OpenCX session once with PATCH, and the AI of a new question starts a new session', async () => {
    const id = await answeredOnce();
    expect(await closeOpenCxSession(kit.deps(), { sessionId: kit.session().id })).toEqual({ kind: 'closed' });
    expect(await closeOpenCxSession(kit.deps(), { sessionId: kit.session().id })).toEqual({ kind: 'skipped', reason: 'closed' });
    expect(opencx.requests('PATCH')).toEqual([expect.objectContaining({ path: `/chat/sessions/${id}`, body: { status: 'closed_resolved' }, status: 200 })]);
    expect(opencx.state.sessions.get(id)?.status).toBe('closed_resolved');
    expect(await forwardAgentMessage(kit.deps(), { sessionId: kit.session().id, text: 'x', agent: jane, takeOver: false })).toEqual({ kind: 'skipped', reason: 'closed' });
  });

  it('counts a session OpenCX no longer knows as closed, and leaves transient failures to a retry', async () => {
    await answeredOnce();
    opencx.failNext({ status: 502 });
    await expect(closeOpenCxSession(kit.deps(), { sessionId: kit.session().id })).rejects.toMatchObject({ transient: true });
    expect((await kit.deps().store.opencxSessions.get(kit.session().id))?.closedAt).toBeNull();
    opencx.state.sessions.clear();
    expect(await closeOpenCxSession(kit.deps(), { sessionId: kit.session().id, status: 'closed_unresolved' })).toEqual({ kind: 'closed' });
  });
});

it('agentIdOf reads HubSpot user ids as numbers', () => {
  expect([agentIdOf('A-9586504'), agentIdOf(42), agentIdOf('9586504'), agentIdOf('V-1'), agentIdOf(null)]).toEqual([9586504, 42, 9586504, 0, 0]);
});
