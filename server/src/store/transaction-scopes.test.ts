import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { openStore } from './open-store';
import { createTransactionScopes } from './transaction-scopes';

// The nested-use check (transaction-scopes.ts): on by default, off only in the production configuration.
describe('the store used inside its own transaction', () => {
  const open = (production?: boolean) =>
    openStore({ databasePath: ':memory:', dataDir: '.', tokenEncryptionKey: Buffer.alloc(32, 7), ...(production === undefined ? {} : { production }) }, createLogger({ level: 'silent' }));

  it('is refused with a message naming the fix, unless production', async () => {
    const store = open();
    await expect(store.transaction(async () => store.organizations.get('org_x'))).rejects.toThrow(/use the `tx` passed to transaction\(\)/);
    // The transaction rolled back and the store still answers.
    await expect(store.organizations.get('org_x')).resolves.toBeNull();
    await store.close();
  });

  it('is not tracked in production, where the tx store still works as before', async () => {
    const store = open(true);
    await expect(store.transaction(async (tx) => tx.organizations.get('org_x'))).resolves.toBeNull();
    await store.close();
  });

  it('is what the production flag switches: tracked and refused with it on, untracked with it off', () => {
    const inside = (check: boolean) => {
      const scopes = createTransactionScopes(check);
      return () => scopes.run({ open: true }, () => scopes.assertOutside());
    };
    expect(inside(true)).toThrow(/inside its own transaction/);
    expect(inside(false)).not.toThrow();
  });
});
