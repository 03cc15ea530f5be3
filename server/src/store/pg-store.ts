import type pg from 'pg';
import type { TokenCipher } from '../crypto/token-cipher';
import { createActionExecutionsPg } from './action-executions.pg';
import { createAdminsPg } from './admins.pg';
import { createAiControlPg } from './ai-control.pg';
import { createAiRepliesPg } from './ai-replies.pg';
import { createAppSecretsPg } from './app-secrets.pg';
import { createIntegrationProblemsPg } from './integration-problems.pg';
import { createLegacyWebhooksPg } from './legacy-webhooks.pg';
import { createChatHistoryPg } from './chat-history.pg';
import { createConnectionsPg } from './connections.pg';
import { createEffectStepsPg } from './effect-steps.pg';
import { createEffectsOutboxPg } from './effects-outbox.pg';
import { createHubSpotBudgetPg } from './hubspot-budget.pg';
import { createOAuthStatesPg } from './oauth-states.pg';
import { createOperationsPg } from './operations.pg';
import { createOrganizationsPg } from './organizations.pg';
import { createPendingInstallsPg } from './pending-installs.pg';
import { sqlOver, type PgQueryable } from './pg-sql';
import type { PgWakeups } from './pg-wakeups';
import { createSerialQueue } from './serial-queue';
import { createTransactionScopes, type TransactionScope } from './transaction-scopes';
import type { StoreOptions } from './store';
import { createSessionsPg } from './sessions.pg';
import { createSignaturesPg } from './signatures.pg';
import type { ClosableStore, Repositories, Store } from './store';
import { createTicketLinksPg } from './ticket-links.pg';
import { createWebhookInboxPg } from './webhook-inbox.pg';
import { createOpenCxKeysPg } from './opencx-keys.pg';
import { createHandoffSettingsPg } from './handoff-settings.pg';
import { createOpenCxSessionsPg } from './opencx-sessions.pg';
import { wrapRepositories } from './wrap-repositories';


/**
 * The Store over a PostgreSQL pool. Calls outside a transaction run on any pooled connection, concurrently;
 * a transaction holds one connection from BEGIN to COMMIT and its `tx` store runs every statement there (nested
 * transactions become savepoints, one at a time). READ COMMITTED: concurrent writers of one row are ordered by
 * its row lock, and the guards in the WHERE clauses (versions, leases, attempts) are re-checked after the wait.
 */
export function createPgStore(pool: pg.Pool, cipher: TokenCipher, wakeups: PgWakeups, options: StoreOptions = { checkNestedUse: true }): ClosableStore {
  const scopes = createTransactionScopes(options.checkNestedUse);
  let savepoints = 0;

  const openTransactionStore = (client: pg.PoolClient, scope: TransactionScope): Store => {
    const assertOpen = () => {
      if (!scope.open) throw new Error('the transaction this store belongs to has already ended');
    };
    const nested = createSerialQueue();
    // One statement at a time on the transaction's connection, whoever issues them (pg queues them too, but
    // deprecates relying on it).
    const statements = createSerialQueue();
    const serialClient: PgQueryable = { query: (text, values) => statements.run(() => client.query(text, values)) };
    const tx: Store = {
      ...wrapRepositories(createRepositories(serialClient, cipher), async (call) => {
        assertOpen();
        return call();
      }),
      transaction: (work) =>
        nested.run(async () => {
          assertOpen();
          const name = `sp_${++savepoints}`;
          await client.query(`SAVEPOINT ${name}`);
          try {
            const result = await work(tx);
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return result;
          } catch (err) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            await client.query(`RELEASE SAVEPOINT ${name}`);
            throw err;
          }
        }),
      ping: async () => {
        assertOpen();
        await client.query('SELECT 1');
      },
    };
    return tx;
  };

  const runTransaction = async <T>(work: (tx: Store) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const scope: TransactionScope = { open: true };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await scopes.run(scope, () => work(openTransactionStore(client, scope)));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A connection that cannot even roll back is dropped from the pool rather than handed to the next caller.
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      scope.open = false;
      client.release(broken);
    }
  };

  const outside = createRepositories(pool, cipher);
  return {
    ...wrapRepositories(outside, async (call) => {
      scopes.assertOutside();
      return call();
    }),
    transaction: async (work) => {
      scopes.assertOutside();
      return runTransaction(work);
    },
    ping: async () => {
      scopes.assertOutside();
      await pool.query('SELECT 1');
    },
    hubspotBudget: createHubSpotBudgetPg(sqlOver(pool)),
    onWake: wakeups.subscribe,
    close: async () => {
      await wakeups.close();
      await pool.end();
    },
  };
}

function createRepositories(db: PgQueryable, cipher: TokenCipher): Repositories {
  const sql = sqlOver(db);
  return {
    organizations: createOrganizationsPg(sql),
    connections: createConnectionsPg(sql, cipher),
    sessions: createSessionsPg(sql),
    chatHistory: createChatHistoryPg(sql),
    ticketLinks: createTicketLinksPg(sql),
    signatures: createSignaturesPg(sql),
    aiControl: createAiControlPg(sql),
    outbox: createEffectsOutboxPg(sql),
    actionExecutions: createActionExecutionsPg(sql),
    admins: createAdminsPg(sql),
    oauthStates: createOAuthStatesPg(sql),
    pendingInstalls: createPendingInstallsPg(sql, cipher),
    appSecrets: createAppSecretsPg(sql, cipher),
    inbox: createWebhookInboxPg(sql),
    aiReplies: createAiRepliesPg(sql),
    effectSteps: createEffectStepsPg(sql),
    legacyWebhooks: createLegacyWebhooksPg(sql, cipher),
    problems: createIntegrationProblemsPg(sql),
    opencxKeys: createOpenCxKeysPg(sql, cipher),
    handoffSettings: createHandoffSettingsPg(sql),
    opencxSessions: createOpenCxSessionsPg(sql),
    operations: createOperationsPg(sql),
  };
}
