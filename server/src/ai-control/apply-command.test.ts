import type { Actor, AiCommand } from '@opencx/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store';
import { seedSession } from '../../testing/fixtures';
import { createTestDeps, TEST_NOW, type TestDeps } from '../../testing/test-deps';
import { applyAiCommand } from './apply-command';

let deps: TestDeps;
beforeEach(async () => {
  deps = createTestDeps();
  await seedSession(deps.store, { session: { id: 'ses_1', portalId: 1001 } });
});
afterEach(() => deps.cleanup());

const agent: Actor = { kind: 'hubspot_user', id: '77', name: 'Dana' };
const pause: AiCommand = { type: 'pause', source: 'card', by: agent, reason: 'I will take it', until: TEST_NOW + 60_000 };
const LEASE = { now: TEST_NOW, limit: 10, leaseMs: 60_000 };

async function drainOutbox(store: Store) {
  return store.outbox.claimDue(LEASE);
}

describe('applyAiCommand', () => {
  it('saves the state, appends the events and enqueues the effects', async () => {
    const decision = await applyAiCommand(deps, 'ses_1', pause, TEST_NOW);
    expect(decision.outcome).toBe('paused');

    expect(await deps.store.aiControl.load('ses_1')).toEqual({ control: decision.control, version: 1 });
    expect(await deps.store.aiControl.listEvents('ses_1', 10)).toEqual(decision.events);
    const claimed = await drainOutbox(deps.store);
    expect(claimed.map((c) => [c.sessionId, c.portalId, c.effect])).toEqual([
      ['ses_1', 1001, { type: 'setTicketAiStatus', status: 'paused' }],
    ]);
    expect(await deps.store.aiControl.listDueTimedResumes(TEST_NOW + 60_000)).toEqual([
      { sessionId: 'ses_1', until: TEST_NOW + 60_000 },
    ]);
  });

  it('continues from the saved state, and writes no state for a no-op', async () => {
    await applyAiCommand(deps, 'ses_1', pause, TEST_NOW);
    const again = await applyAiCommand(deps, 'ses_1', pause, TEST_NOW + 1);
    expect(again.outcome).toBe('already_paused');
    expect((await deps.store.aiControl.load('ses_1'))?.version).toBe(1);

    const resumed = await applyAiCommand(deps, 'ses_1', { type: 'resume', by: agent }, TEST_NOW + 2);
    expect(resumed.outcome).toBe('resumed');
    expect((await deps.store.aiControl.load('ses_1'))?.version).toBe(2);
    expect(await deps.store.aiControl.listDueTimedResumes(TEST_NOW + 60_000)).toEqual([]);
  });

  it('starts from the initial control and writes nothing when nothing changes', async () => {
    const decision = await applyAiCommand(deps, 'ses_1', { type: 'resume', by: agent }, TEST_NOW);
    expect(decision.outcome).toBe('already_active');
    expect(await deps.store.aiControl.load('ses_1')).toBeNull();
    expect(await drainOutbox(deps.store)).toEqual([]);
  });

  it('refuses an unknown session with not_found', async () => {
    await expect(applyAiCommand(deps, 'ses_missing', pause, TEST_NOW)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('decides again on the fresh state when another writer wins the race', async () => {
    // Another process paused the session after our read: our first read is stale.
    const workflowPause = { type: 'pause' as const, source: 'workflow' as const, by: agent, reason: null, until: null };
    await applyAiCommand(deps, 'ses_1', workflowPause, TEST_NOW);
    const racing = withStaleReads(deps.store, 1);

    const decision = await applyAiCommand({ store: racing }, 'ses_1', pause, TEST_NOW + 1);
    // Against the stale (active) state this would be a fresh pause; against the workflow's pause it only changes
    // the cause, and the first attempt's events and effects were rolled back with it.
    expect(decision.outcome).toBe('already_paused');
    expect((await deps.store.aiControl.load('ses_1'))?.version).toBe(2);
    expect((await deps.store.aiControl.listEvents('ses_1', 10)).map((e) => e.type)).toEqual([
      'pause_cause_changed',
      'ai_paused',
    ]);
    expect((await drainOutbox(deps.store)).map((c) => c.effect)).toEqual([{ type: 'setTicketAiStatus', status: 'paused' }]);
  });

  it('detects a version conflict that persists, and leaves no events or effects behind', async () => {
    await applyAiCommand(deps, 'ses_1', { type: 'agentReplied', agent }, TEST_NOW);
    await deps.store.transaction(async (tx) => {
      const [claimed] = await tx.outbox.claimDue(LEASE);
      await tx.outbox.markDone(claimed!.id, claimed!.attempts, TEST_NOW);
    });
    const racing = withStaleReads(deps.store, Infinity);

    await expect(applyAiCommand({ store: racing }, 'ses_1', pause, TEST_NOW + 1)).rejects.toMatchObject({
      code: 'version_conflict',
    });
    expect((await deps.store.aiControl.listEvents('ses_1', 10)).map((e) => e.type)).toEqual(['ai_paused']);
    expect(await deps.store.aiControl.load('ses_1')).toMatchObject({ version: 1, control: { state: { source: 'agent_replied' } } });
    expect(await drainOutbox(deps.store)).toEqual([]);
  });

  it("joins the caller's transaction and rolls back with it", async () => {
    await expect(
      deps.store.transaction(async (tx) => {
        await applyAiCommand({ store: tx }, 'ses_1', pause, TEST_NOW);
        throw new Error('the inbox row could not be marked done');
      }),
    ).rejects.toThrow('inbox row');
    expect(await deps.store.aiControl.load('ses_1')).toBeNull();
    expect(await drainOutbox(deps.store)).toEqual([]);
  });
});

/**
 * A store whose first `count` AI control reads return what they would have returned before the current row was
 * written: the view of a writer that read just before a concurrent writer (another process, or PostgreSQL under
 * READ COMMITTED) committed.
 */
function withStaleReads(store: Store, count: number): Store {
  let stale = 0;
  return {
    ...store,
    transaction: (work) =>
      store.transaction((tx) =>
        work({
          ...tx,
          aiControl: {
            ...tx.aiControl,
            load: async (sessionId) => {
              const current = await tx.aiControl.load(sessionId);
              if (stale >= count || current === null) return current;
              stale += 1;
              return current.version === 1 ? null : { ...current, version: current.version - 1 };
            },
          },
        }),
      ),
  };
}
