import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aMessage, anOrganization, aSession, seedSession } from '../../testing/fixtures';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import { conversationTimeline, CONVERSATIONS_PER_PAGE, listConversations } from './activity';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
    await seedSession(deps.store); // org_1, ses_1 on portal 1001, thread_1
  });
  afterEach(() => deps.cleanup());

  describe('activity: the conversation list', () => {
    it('pages through the organization’s conversations, most recently active first, with their AI state, and never another’s', async () => {
      for (let i = 0; i < CONVERSATIONS_PER_PAGE + 2; i += 1) {
        await deps.store.sessions.create(aSession({ id: `ses_p${i}`, threadId: `t${i}`, updatedAt: TEST_NOW + 1000 + i }));
      }
      await deps.store.organizations.create(anOrganization({ id: 'org_2', name: 'Other' }));
      await deps.store.sessions.create(aSession({ id: 'ses_other', organizationId: 'org_2', portalId: 2002, threadId: 'x', updatedAt: TEST_NOW + 99_999 }));
      await deps.store.aiControl.save('ses_p21', {
        state: { status: 'paused', source: 'card', by: { kind: 'system', id: null, name: null }, reason: null, since: TEST_NOW, until: null },
        handoffRequestIds: [],
      }, null, TEST_NOW);

      const first = await listConversations(deps, 'org_1', 1);
      expect(first.conversations).toHaveLength(CONVERSATIONS_PER_PAGE);
      expect(first.hasMore).toBe(true);
      expect(first.conversations[0]).toMatchObject({ session: { id: 'ses_p21' }, aiStatus: 'paused' });
      expect(first.conversations[1]).toMatchObject({ session: { id: 'ses_p20' }, aiStatus: 'active' });
      const second = await listConversations(deps, 'org_1', 2);
      expect(second.conversations.map((c) => c.session.id)).toEqual(['ses_p1', 'ses_p0', 'ses_1']);
      expect(second.hasMore).toBe(false);
      expect([...first.conversations, ...second.conversations].some((c) => c.session.organizationId !== 'org_1')).toBe(false);
    });
  });

  describe('activity: the timeline', () => {
    it('puts messages, AI state changes (with who) and failed writes of the conversation in time order', async () => {
      await deps.store.chatHistory.append(aMessage({ id: 'm1', createdAt: TEST_NOW + 1 }));
      await deps.store.chatHistory.append(aMessage({ id: 'm2', role: 'ai', text: 'On its way', hubspotMessageId: 'hs2', createdAt: TEST_NOW + 2 }));
      const jane = { kind: 'hubspot_owner' as const, id: '52550153', name: 'Jane Agent' };
      await deps.store.aiControl.appendEvents('ses_1', [
        { type: 'ai_paused', at: TEST_NOW + 3, actor: jane, detail: { source: 'agent_took_ownership' } },
        { type: 'handoff_requested', at: TEST_NOW + 5, actor: { kind: 'workflow', id: '77', name: null }, detail: { reason: 'VIP' } },
      ]);
      // A write-back of this conversation that failed for good, and one of another conversation of the portal.
      await deps.store.sessions.create(aSession({ id: 'ses_2', threadId: 'thread_2' }));
      for (const [sessionId, at] of [['ses_1', TEST_NOW + 4], ['ses_2', TEST_NOW + 4]] as const) {
        await deps.store.outbox.enqueue([{ sessionId, portalId: 1001, effect: { type: 'askAiToReply', instruction: null } }], at);
        const [claimed] = await deps.store.outbox.claimDue({ now: at, limit: 1, leaseMs: 1_000 });
        await deps.store.outbox.markFailed(claimed!.id, claimed!.attempts, 'HubSpot said 403', null, at);
      }

      const timeline = await conversationTimeline(deps, 'org_1', 'ses_1');
      expect(timeline!.entries.map((e) => (e.kind === 'message' ? e.message.role : e.kind === 'ai_event' ? `${e.event.type} by ${e.event.actor.name ?? e.event.actor.id}` : `failed ${e.failure.what}: ${e.failure.lastError}`)))
        .toEqual(['customer', 'ai', 'ai_paused by Jane Agent', 'failed askAiToReply: HubSpot said 403', 'handoff_requested by 77']);
    });

    it('is null for a session of another organization, as for one that does not exist', async () => {
      await deps.store.organizations.create(anOrganization({ id: 'org_2', name: 'Other' }));
      expect(await conversationTimeline(deps, 'org_2', 'ses_1')).toBeNull();
      expect(await conversationTimeline(deps, 'org_1', 'ses_none')).toBeNull();
    });
  });
});
