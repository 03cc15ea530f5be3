import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOrganization, aSession, seedSession } from '../../testing/fixtures';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';

let deps: TestDeps;
beforeEach(() => {
  deps = createTestDeps();
});
afterEach(() => deps.cleanup());

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Store.transaction', () => {
  it('commits when the work resolves', async () => {
    const result = await deps.store.transaction(async (tx) => {
      await tx.organizations.create(anOrganization());
      return 'done';
    });
    expect(result).toBe('done');
    expect(await deps.store.organizations.get('org_1')).not.toBeNull();
  });

  it('rolls everything back when the work rejects, even after awaiting', async () => {
    await expect(
      deps.store.transaction(async (tx) => {
        await tx.organizations.create(anOrganization({ id: 'org_a' }));
        await tick();
        await tx.organizations.create(anOrganization({ id: 'org_b' }));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await deps.store.organizations.get('org_a')).toBeNull();
    expect(await deps.store.organizations.get('org_b')).toBeNull();
  });

  it('keeps other callers out while it is open: they neither see its writes nor join it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = deps.store.transaction(async (tx) => {
      await tx.organizations.create(anOrganization({ id: 'org_tx' }));
      await held;
      throw new Error('rolled back');
    });
    await tick();
    // An outside read issued while the transaction is open waits for it, then sees the rolled-back state.
    const outsideRead = deps.store.organizations.get('org_tx');
    const outsideWrite = deps.store.organizations.create(anOrganization({ id: 'org_outside' }));
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect(await outsideRead).toBeNull();
    await outsideWrite;
    expect(await deps.store.organizations.get('org_outside')).not.toBeNull();
  });

  it('runs concurrent transactions one after the other', async () => {
    const order: string[] = [];
    const run = (name: string) =>
      deps.store.transaction(async (tx) => {
        order.push(`${name}:begin`);
        await tick();
        await tx.organizations.create(anOrganization({ id: name }));
        order.push(`${name}:end`);
      });
    await Promise.all([run('a'), run('b')]);
    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end']);
  });

  it('nests with savepoints: an inner failure rolls back only the inner work', async () => {
    await deps.store.transaction(async (tx) => {
      await tx.organizations.create(anOrganization({ id: 'outer' }));
      await expect(
        tx.transaction(async (inner) => {
          await inner.organizations.create(anOrganization({ id: 'inner' }));
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
    });
    expect(await deps.store.organizations.get('outer')).not.toBeNull();
    expect(await deps.store.organizations.get('inner')).toBeNull();
  });

  it('refuses the outer store inside its own transaction instead of deadlocking', async () => {
    await expect(
      deps.store.transaction(async () => {
        await deps.store.organizations.get('org_1');
      }),
    ).rejects.toThrow(/use the `tx` passed to transaction\(\)/);
  });

  it('refuses a transaction store used after its transaction ended', async () => {
    const leaked = await deps.store.transaction(async (tx) => tx);
    await expect(leaked.organizations.get('org_1')).rejects.toThrow(/already ended/);
  });

  it('answers ping, and close waits for the running transaction', async () => {
    await deps.store.ping();
    let finished = false;
    const transaction = deps.store.transaction(async (tx) => {
      await tick();
      await tx.organizations.create(anOrganization());
      finished = true;
    });
    await deps.store.close();
    expect(finished).toBe(true);
    await transaction;
  });
});

describe('sessions: lifecycle and lookup by contact', () => {
  it('lists a contact’s sessions by status, newest first, and marks a deleted thread without losing it', async () => {
    const deps = createTestDeps();
    try {
      const { store } = deps;
      await seedSession(store, { session: { id: 'ses_old', threadId: 't1', contactId: 'c1', createdAt: 1 } });
      await store.sessions.create(aSession({ id: 'ses_new', threadId: 't2', contactId: 'c1', createdAt: 2 }));
      await store.sessions.create(aSession({ id: 'ses_other', threadId: 't3', contactId: 'c2', createdAt: 3 }));
      expect((await store.sessions.listByContact(1001, 'c1')).map((s) => s.id)).toEqual(['ses_new', 'ses_old']);
      expect(await store.sessions.setStatus('ses_new', 'deleted', 10)).toBe(true);
      expect((await store.sessions.listByContact(1001, 'c1', 'open')).map((s) => s.id)).toEqual(['ses_old']);
      expect(await store.sessions.get('ses_new')).toMatchObject({ status: 'deleted' });
      expect(await store.sessions.setStatus('nope', 'closed', 10)).toBe(false);
    } finally {
      await deps.cleanup();
    }
  });
});
