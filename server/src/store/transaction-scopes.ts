import { AsyncLocalStorage } from 'node:async_hooks';

export interface TransactionScope {
  open: boolean;
}

/**
 * Which transaction (if any) the running code is inside, so that a store can refuse to be used within its own
 * transaction ("use the `tx` passed to transaction() instead"): on SQLite such a call would wait for the
 * transaction that is waiting for it, forever; on PostgreSQL it would run outside the transaction, on another
 * connection.
 *
 * The check is for development and tests. AsyncLocalStorage switches on Node's async hooks for the whole process
 * (on Node 20 a hook runs for every promise), which cost 10–15 % of the server's CPU per webhook delivery in the
 * benchmark (bench/README.md, "Findings"). With `check` off (NODE_ENV=production), nothing is tracked and the
 * check never fires; the test suite runs with it on, so a misuse still fails a test.
 */
export interface TransactionScopes {
  run<T>(scope: TransactionScope, work: () => T): T;
  /** Throws when called inside an open transaction of this store (only when checking). */
  assertOutside(): void;
}

export function createTransactionScopes(check: boolean): TransactionScopes {
  if (!check) return { run: (_scope, work) => work(), assertOutside: () => {} };
  const scopes = new AsyncLocalStorage<TransactionScope>();
  return {
    run: (scope, work) => scopes.run(scope, work),
    assertOutside: () => {
      if (scopes.getStore()?.open) {
        throw new Error('the store was used inside its own transaction; use the `tx` passed to transaction() instead');
      }
    },
  };
}
