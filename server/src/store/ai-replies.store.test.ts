import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../testing/engine-deps';
import { useSeededEngine } from '../../testing/seeded-engine';
import { TEST_NOW } from '../../testing/test-deps';

describe.each(ENGINES)('%s', (engine) => {
  const deps = useSeededEngine(engine);

  const LEASE = 1_000;

  it('leases a request to one worker at a time, lets another take over an expired lease, and reports a final one', async () => {
    const replies = deps().store.aiReplies;
    expect(await replies.acquire('k', 'ses_1', TEST_NOW, LEASE)).toMatchObject({ kind: 'acquired', record: { status: 'pending', leaseUntil: TEST_NOW + LEASE } });
    expect(await replies.acquire('k', 'ses_1', TEST_NOW + 1, LEASE)).toEqual({ kind: 'busy', leaseUntil: TEST_NOW + LEASE });
    expect(await replies.acquire('k', 'ses_1', TEST_NOW + LEASE, LEASE)).toMatchObject({ kind: 'acquired' });
    await replies.update('k', { status: 'answered', text: 'Hi', hubspotMessageId: 'hs1' }, TEST_NOW);
    expect(await replies.acquire('k', 'ses_1', TEST_NOW, LEASE)).toMatchObject({
      kind: 'final',
      record: { status: 'answered', text: 'Hi', hubspotMessageId: 'hs1', leaseUntil: null },
    });
  });

  it('forgets a request that decided nothing, and keeps one that has a draft', async () => {
    const replies = deps().store.aiReplies;
    await replies.acquire('nothing', 'ses_1', TEST_NOW, LEASE);
    await replies.release('nothing', { forget: true });
    expect(await replies.get('nothing')).toBeNull();
    await replies.acquire('draft', 'ses_1', TEST_NOW, LEASE);
    await replies.update('draft', { status: 'drafted', text: 'Hello' }, TEST_NOW);
    await replies.release('draft', { forget: true });
    expect(await replies.get('draft')).toMatchObject({ status: 'drafted', leaseUntil: null });
  });

  it('erases the texts of a session: finished replies keep their row, unfinished ones go', async () => {
    const replies = deps().store.aiReplies;
    await replies.acquire('a', 'ses_1', TEST_NOW, LEASE);
    await replies.update('a', { status: 'answered', text: 'Your address is 1 Main St', hubspotMessageId: 'hs' }, TEST_NOW);
    await replies.acquire('b', 'ses_1', TEST_NOW, LEASE);
    await replies.update('b', { status: 'drafted', text: 'draft' }, TEST_NOW);
    expect(await replies.eraseBySession('ses_1', TEST_NOW)).toBe(2);
    expect(await replies.get('a')).toMatchObject({ status: 'answered', text: '', hubspotMessageId: 'hs' });
    expect(await replies.get('b')).toBeNull();
  });
});
