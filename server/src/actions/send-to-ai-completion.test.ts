import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAiCommand } from '../ai-control/apply-command';
import type { SendToAiWork } from '../store/action-executions.store';
import { seedSession, aSession } from '../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';
import { runSendToAi, type RunAiForSession } from './send-to-ai-completion';

let deps: TestDeps;
beforeEach(async () => {
  deps = createTestDeps();
  await seedSession(deps.store, { session: { id: 'ses_1' } });
  await deps.store.sessions.create(aSession({ id: 'ses_2', threadId: 'thread_2' }));
});
afterEach(() => deps.cleanup());

const work: SendToAiWork = { kind: 'send_to_ai', sessionIds: ['ses_1', 'ses_2'], instruction: 'be kind', outcome: 'resumed', expiresAt: TEST_NOW + 1 };

describe('runSendToAi', () => {
  it('asks the AI on every session, saving progress, and reports the first reply and the first status', async () => {
    const asked: string[] = [];
    const saved: SendToAiWork[] = [];
    const runAi: RunAiForSession = async (sessionId, instruction) => {
      asked.push(`${sessionId}:${instruction}`);
      return { reply: sessionId === 'ses_1' ? null : 'Hello from 2' };
    };
    const fields = await runSendToAi({ store: deps.store, runAi, saveProgress: async (w) => void saved.push(w) }, work);
    expect(asked).toEqual(['ses_1:be kind', 'ses_2:be kind']);
    expect(saved.at(-1)?.replies).toEqual({ ses_1: null, ses_2: 'Hello from 2' });
    expect(fields).toEqual({ aiStatus: 'active', outcome: 'resumed', aiReply: 'Hello from 2', hs_execution_state: 'SUCCESS' });
  });

  it('does not ask again on a session answered before a retry, and reports a handoff the AI made', async () => {
    const by = { kind: 'ai' as const, id: null, name: 'OpenCX AI' };
    await applyAiCommand(deps, 'ses_1', { type: 'requestHandoff', by, reason: 'needs a person', requestId: 'm1' }, TEST_NOW);
    const asked: string[] = [];
    const fields = await runSendToAi(
      { store: deps.store, runAi: async (id) => (asked.push(id), { reply: 'late' }), saveProgress: async () => {} },
      { ...work, replies: { ses_1: null } },
    );
    expect(asked).toEqual(['ses_2']);
    expect(fields).toMatchObject({ aiStatus: 'handoff_requested', aiReply: 'late' });
  });

  it('fails with NO_CONVERSATION when every conversation was deleted meanwhile', async () => {
    await deps.store.sessions.setStatus('ses_1', 'deleted', TEST_NOW);
    await deps.store.sessions.setStatus('ses_2', 'deleted', TEST_NOW);
    const fields = await runSendToAi({ store: deps.store, runAi: async () => ({ reply: 'x' }), saveProgress: async () => {} }, work);
    expect(fields).toEqual({ errorCode: 'NO_CONVERSATION', hs_execution_state: 'FAIL_CONTINUE' });
  });
});
