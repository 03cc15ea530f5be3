import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineTestDeps, ENGINES, type EngineTestDeps } from '../../testing/engine-deps';
import { TEST_NOW } from '../../testing/test-deps';
import type { NewActionExecution, SendToAiWork } from './action-executions.store';

describe.each(ENGINES)('%s', (engine) => {
  let deps: EngineTestDeps;
  beforeEach(async () => {
    deps = await createEngineTestDeps(engine);
  });
  afterEach(() => deps.cleanup());

  const answered: NewActionExecution = {
    callbackId: 'ap-1-1-1-0',
    portalId: 1001,
    action: 'pause-ai',
    request: { callbackId: 'ap-1-1-1-0' },
    answer: { outputFields: { aiStatus: 'paused', outcome: 'paused', hs_execution_state: 'SUCCESS' } },
  };
  const work: SendToAiWork = { kind: 'send_to_ai', sessionIds: ['ses_1'], instruction: null, outcome: 'resumed', expiresAt: TEST_NOW + 1000 };
  const blocked: NewActionExecution = {
    callbackId: 'ap-1-2-1-0',
    portalId: 1001,
    action: 'send-to-ai',
    request: {},
    answer: { outputFields: { hs_execution_state: 'BLOCK' } },
    work,
  };
  const LEASE = { limit: 10, leaseMs: 60_000 };

  describe('action executions', () => {
    it('keeps the first answer for a callbackId; a second insert returns it untouched', async () => {
      const executions = deps.store.actionExecutions;
      const first = await executions.insertFirst(answered, TEST_NOW);
      expect(first.inserted).toBe(true);
      expect(first.execution).toMatchObject({ status: 'answered', answer: answered.answer, work: null, nextAttemptAt: null });

      const second = await executions.insertFirst(
        { ...answered, answer: { outputFields: { errorCode: 'NO_CONVERSATION', hs_execution_state: 'FAIL_CONTINUE' } } },
        TEST_NOW + 5,
      );
      expect(second.inserted).toBe(false);
      expect(second.execution.answer).toEqual(answered.answer);
      expect(second.execution.createdAt).toBe(TEST_NOW);
    });

    it('hands out due background work under a lease, and nothing that is answered or leased', async () => {
      const executions = deps.store.actionExecutions;
      await executions.insertFirst(answered, TEST_NOW);
      await executions.insertFirst(blocked, TEST_NOW);

      const claimed = await executions.claimDue({ now: TEST_NOW, ...LEASE });
      expect(claimed).toEqual([expect.objectContaining({ callbackId: blocked.callbackId, status: 'awaiting_ai', attempts: 1, work })]);
      expect(await executions.claimDue({ now: TEST_NOW + 1, ...LEASE })).toEqual([]);
      // A worker that died: its lease runs out and the row is handed out again.
      expect(await executions.claimDue({ now: TEST_NOW + 60_000, ...LEASE })).toEqual([
        expect.objectContaining({ callbackId: blocked.callbackId, attempts: 2 }),
      ]);
    });

    it('walks a blocked execution through completion, retry and success', async () => {
      const executions = deps.store.actionExecutions;
      const id = blocked.callbackId;
      await executions.insertFirst(blocked, TEST_NOW);
      await executions.claimDue({ now: TEST_NOW, ...LEASE });
      await executions.updateWork(id, { ...work, replies: { ses_1: 'Hi!' } }, TEST_NOW);
      const completion = { aiStatus: 'active', outcome: 'resumed', aiReply: 'Hi!', hs_execution_state: 'SUCCESS' };
      await executions.setCompletion(id, completion, TEST_NOW);
      expect(await executions.get(id)).toMatchObject({ status: 'completing', completion, attempts: 1, work: { replies: { ses_1: 'Hi!' } } });

      await executions.scheduleRetry(id, 'HubSpot completeCallback failed (503)', TEST_NOW + 2_000, TEST_NOW);
      expect(await executions.claimDue({ now: TEST_NOW + 1_999, ...LEASE })).toEqual([]);
      expect(await executions.claimDue({ now: TEST_NOW + 2_000, ...LEASE })).toEqual([
        expect.objectContaining({ status: 'completing', attempts: 2, lastError: 'HubSpot completeCallback failed (503)' }),
      ]);
      await executions.markCompleted(id, TEST_NOW + 2_100);
      expect(await executions.get(id)).toMatchObject({ status: 'completed', completedAt: TEST_NOW + 2_100, leaseUntil: null, lastError: null });
      expect(await executions.claimDue({ now: TEST_NOW + 10_000_000, ...LEASE })).toEqual([]);
    });

    it('records why it gave up', async () => {
      const executions = deps.store.actionExecutions;
      await executions.insertFirst(blocked, TEST_NOW);
      await executions.markGivenUp(blocked.callbackId, 'completion_expired', 'x'.repeat(3000), TEST_NOW);
      const row = await executions.get(blocked.callbackId);
      expect(row).toMatchObject({ status: 'completion_expired', completedAt: TEST_NOW, nextAttemptAt: null });
      expect(row?.lastError?.length).toBeLessThanOrEqual(2001);
    });
  });
});
