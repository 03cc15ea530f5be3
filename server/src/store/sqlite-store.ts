import type { TokenCipher } from '../crypto/token-cipher';
import { createActionExecutionsSqlite } from './action-executions.sqlite';
import { createAdminsSqlite } from './admins.sqlite';
import { createAppSecretsSqlite } from './app-secrets.sqlite';
import { createIntegrationProblemsSqlite } from './integration-problems.sqlite';
import { createLegacyWebhooksSqlite } from './legacy-webhooks.sqlite';
import { createAiControlSqlite } from './ai-control.sqlite';
import { createChatHistorySqlite } from './chat-history.sqlite';
import { createConnectionsSqlite } from './connections.sqlite';
import type { SqliteDatabase } from './db';
import { createEffectsOutboxSqlite } from './effects-outbox.sqlite';
import { createOAuthStatesSqlite } from './oauth-states.sqlite';
import { createOperationsSqlite } from './operations.sqlite';
import { createOrganizationsSqlite } from './organizations.sqlite';
import { createPendingInstallsSqlite } from './pending-installs.sqlite';
import { createSerialQueue } from './serial-queue';
import { createTransactionScopes, type TransactionScope } from './transaction-scopes';
import type { StoreOptions } from './store';
import { createSessionsSqlite } from './sessions.sqlite';
import { createSignaturesSqlite } from './signatures.sqlite';
import type { Repositories, Store } from './store';
import { wrapRepositories } from './wrap-repositories';
import { createTicketLinksSqlite } from './ticket-links.sqlite';
import { createAiRepliesSqlite } from './ai-replies.sqlite';
import { createEffectStepsSqlite } from './effect-steps.sqlite';
import { createWebhookInboxSqlite } from './webhook-inbox.sqlite';
import { createOpenCxKeysSqlite } from './opencx-keys.sqlite';
import { createHandoffSettingsSqlite } from './handoff-settings.sqlite';
import { createOpenCxSessionsSqlite } from './opencx-sessions.sqlite';

export interface SqliteStore extends Store {
  /** Waits for the running transaction (if any), then closes the database. */
  close(): Promise<void>;
}


/**
 * The Store over one better-sqlite3 connection.
 *
 * better-sqlite3 is synchronous, but a transaction here may await between statements. While one is open, any
 * other statement on the connection would silently join it, so every top-level call and transaction goes
 * through one queue: statements outside a transaction wait for it to end. Inside, the `tx` store runs
 * statements directly. Reads are microseconds, so the queue costs little.
 */
export function createSqliteStore(db: SqliteDatabase, cipher: TokenCipher, options: StoreOptions = { checkNestedUse: true }): SqliteStore {
  const repositories = createRepositories(db, cipher);
  const queue = createSerialQueue();
  const scopes = createTransactionScopes(options.checkNestedUse);
  const selectOne = db.prepare('SELECT 1');
  let savepoints = 0;

  const openTransactionStore = (scope: TransactionScope): Store => {
    const assertOpen = () => {
      if (!scope.open) throw new Error('the transaction this store belongs to has already ended');
    };
    const nested = createSerialQueue();
    const tx: Store = {
      ...wrapRepositories(repositories, async (call) => {
        assertOpen();
        return call();
      }),
      transaction: (work) =>
        nested.run(async () => {
          assertOpen();
          const name = `sp_${++savepoints}`;
          db.exec(`SAVEPOINT ${name}`);
          try {
            const result = await work(tx);
            db.exec(`RELEASE ${name}`);
            return result;
          } catch (err) {
            db.exec(`ROLLBACK TO ${name}`);
            db.exec(`RELEASE ${name}`);
            throw err;
          }
        }),
      ping: async () => {
        assertOpen();
        selectOne.get();
      },
    };
    return tx;
  };

  const runTransaction = async <T>(work: (tx: Store) => Promise<T>): Promise<T> => {
    const scope: TransactionScope = { open: true };
    // IMMEDIATE takes the write lock now, so a second process cannot make us fail at our first write instead.
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await scopes.run(scope, () => work(openTransactionStore(scope)));
      db.exec('COMMIT');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    } finally {
      scope.open = false;
    }
  };

  let closed = false;
  return {
    ...wrapRepositories(repositories, async (call) => {
      scopes.assertOutside();
      return queue.run(call);
    }),
    transaction: async (work) => {
      scopes.assertOutside();
      return queue.run(() => runTransaction(work));
    },
    ping: async () => {
      scopes.assertOutside();
      return queue.run(() => {
        selectOne.get();
      });
    },
    scrubFreedSpace: async () => {
      scopes.assertOutside();
      return queue.run(() => {
        db.pragma('wal_checkpoint(TRUNCATE)');
      });
    },
    close: () =>
      queue.run(() => {
        if (closed) return;
        closed = true;
        db.close();
      }),
  };
}

function createRepositories(db: SqliteDatabase, cipher: TokenCipher): Repositories {
  return {
    organizations: createOrganizationsSqlite(db),
    connections: createConnectionsSqlite(db, cipher),
    sessions: createSessionsSqlite(db),
    chatHistory: createChatHistorySqlite(db),
    ticketLinks: createTicketLinksSqlite(db),
    signatures: createSignaturesSqlite(db),
    aiControl: createAiControlSqlite(db),
    outbox: createEffectsOutboxSqlite(db),
    actionExecutions: createActionExecutionsSqlite(db),
    admins: createAdminsSqlite(db),
    oauthStates: createOAuthStatesSqlite(db),
    pendingInstalls: createPendingInstallsSqlite(db, cipher),
    appSecrets: createAppSecretsSqlite(db, cipher),
    inbox: createWebhookInboxSqlite(db),
    aiReplies: createAiRepliesSqlite(db),
    effectSteps: createEffectStepsSqlite(db),
    legacyWebhooks: createLegacyWebhooksSqlite(db, cipher),
    problems: createIntegrationProblemsSqlite(db),
    opencxKeys: createOpenCxKeysSqlite(db, cipher),
    handoffSettings: createHandoffSettingsSqlite(db),
    opencxSessions: createOpenCxSessionsSqlite(db),
    operations: createOperationsSqlite(db),
  };
}
