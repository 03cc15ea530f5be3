import type { ActionExecutionsStore } from './action-executions.store';
import type { AdminsStore } from './admins.store';
import type { AppSecretsStore } from './app-secrets.store';
import type { AiControlStore } from './ai-control.store';
import type { ChatHistoryStore } from './chat-history.store';
import type { ConnectionsStore } from './connections.store';
import type { EffectsOutboxStore } from './effects-outbox.store';
import type { OAuthStatesStore } from './oauth-states.store';
import type { OrganizationsStore } from './organizations.store';
import type { PendingInstallsStore } from './pending-installs.store';
import type { SessionsStore } from './sessions.store';
import type { SignaturesStore } from './signatures.store';
import type { TicketLinksStore } from './ticket-links.store';
import type { AiRepliesStore } from './ai-replies.store';
import type { EffectStepsStore } from './effect-steps.store';
import type { WebhookInboxStore } from './webhook-inbox.store';
import type { IntegrationProblemsStore } from './integration-problems.store';
import type { LegacyWebhooksStore } from './legacy-webhooks.store';
import type { HubSpotBudgetStore } from './hubspot-budget.store';
import type { OpenCxKeysStore } from './opencx-keys.store';
import type { OpenCxSessionsStore } from './opencx-sessions.store';
import type { OperationsStore } from './operations.store';
import type { HandoffSettingsStore } from './handoff-settings.store';

/** One store per aggregate. Routes and services see only these interfaces, never SQL or a database handle. */
export interface Repositories {
  organizations: OrganizationsStore;
  connections: ConnectionsStore;
  sessions: SessionsStore;
  chatHistory: ChatHistoryStore;
  ticketLinks: TicketLinksStore;
  signatures: SignaturesStore;
  aiControl: AiControlStore;
  outbox: EffectsOutboxStore;
  actionExecutions: ActionExecutionsStore;
  /** Connect: admins and their sign-in, OAuth states, pending installs, generated keys (migration 003). */
  admins: AdminsStore;
  oauthStates: OAuthStatesStore;
  pendingInstalls: PendingInstallsStore;
  appSecrets: AppSecretsStore;
  /** Webhooks and sync: the durable inbox, the AI reply ledger, performed effect steps (migration 004). */
  inbox: WebhookInboxStore;
  aiReplies: AiRepliesStore;
  effectSteps: EffectStepsStore;
  /** The AI user issue (migration 008): the legacy path's webhook URLs, the problems shown to admins. */
  legacyWebhooks: LegacyWebhooksStore;
  problems: IntegrationProblemsStore;
  /** The OpenCX API adapter: keys per organization and conversation → OpenCX session links (migration 009). */
  opencxKeys: OpenCxKeysStore;
  opencxSessions: OpenCxSessionsStore;
  /** Operating it (migration 010): queue figures, retention, dead letters, erasing a deleted contact. */
  operations: OperationsStore;
  /** What a handoff does per organization: ticket creation, default owner, pipeline and stage (migration 011). */
  handoffSettings: HandoffSettingsStore;
}

/**
 * The persistence port. Every method is async so that an engine with a network round trip (PostgreSQL) can
 * implement the same interface without touching its callers.
 */
export interface Store extends Repositories, EngineFeatures {
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it rejects. Use only `tx` inside —
   * the outer store refuses calls while its transaction is open, since they would run outside of it. Calling
   * `tx.transaction` nests (a savepoint). Never call HubSpot or the AI inside: the transaction holds the write lock.
   */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; for the health check. */
  ping(): Promise<void>;
}

/** The kinds of work another instance can announce (PostgreSQL's NOTIFY); see `Store.onWake`. */
export type WakeQueue = 'inbox' | 'effects';

/** What engines add beyond the repositories; the server's code looks for these, tests may leave them out. */
export interface EngineFeatures {
  /**
   * The per-portal HubSpot budget shared by every instance on the database (PostgreSQL). Absent: the budget is
   * this process's own, in memory (SQLite: one server per file).
   */
  hubspotBudget?: HubSpotBudgetStore;
  /**
   * Calls back when another instance (or this one) stored work of a kind; returns the unsubscribe. Absent: the
   * engine cannot tell, and the workers' polling finds it.
   */
  onWake?(listener: (queue: WakeQueue) => void): () => void;
  /**
   * Makes erased data unrecoverable from the files (SQLite: secure_delete zeroes freed space, and this checkpoints
   * the WAL into the database and truncates it). Absent: nothing to do (PostgreSQL's own storage).
   */
  scrubFreedSpace?(): Promise<void>;
}

/** A store the server opened and must close at shutdown, whatever its engine. */
/** How a store is built (config.ts sets it from NODE_ENV; tools and tests take the default). */
export interface StoreOptions {
  /** Refuse the store's own use inside its transactions (transaction-scopes.ts): on, except in production. */
  checkNestedUse: boolean;
}

export interface ClosableStore extends Store, EngineFeatures {
  close(): Promise<void>;
}
