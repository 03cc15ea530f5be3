// Records of the sandbox's machinery: OAuth grants, outbound deliveries, actions, faults.
import type { SandboxPortal } from './types';

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  portalId: number;
  userId: number;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface AccessTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  refreshToken: string;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  clientId: string;
  issuedAt: number;
  revoked: boolean;
}

export interface PrivateAppTokenRecord {
  token: string;
  portalId: number;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
  /** The Private App's own app id and client secret: its webhooks carry that id and are signed with that secret. */
  appId: number;
  clientSecret: string;
  /** Where the Private App's webhooks go (its Webhooks tab); none until set. */
  webhookUrl?: string;
}

export type SubscriptionGroup = 'crmObjects' | 'legacyCrmObjects' | 'hubEvents';

export interface Subscription {
  id: number;
  group: SubscriptionGroup;
  subscriptionType: string;
  objectType?: string;
  propertyName?: string;
  active: boolean;
}

/** One event as sent in a webhook batch (docs/hubspot-contract.md §2.6–2.8); attemptNumber is set per attempt. */
export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  [field: string]: unknown;
}

export interface DeliveryAttempt {
  id: number;
  batchId: number;
  portalId: number;
  url: string;
  attemptNumber: number;
  events: WebhookEvent[];
  body: string;
  headers: Record<string, string>;
  startedAt: number;
  durationMs?: number;
  status?: number;
  ok?: boolean;
  error?: string;
  /** Set when a further attempt is scheduled after this one. */
  willRetry?: boolean;
}

export interface DeliveryInjections {
  /** Total copies of every event (2 = each event delivered twice). */
  duplicate?: number;
  /** Reorder the pending events before they are cut into batches (so within and across batches). */
  order?: 'none' | 'reverse' | 'shuffle';
  /** The first attempt of each batch is sent but treated as lost, so HubSpot retries it. */
  dropFirstAttempt?: boolean;
}

export interface ActionDefinition {
  uid: string;
  /** File name without `-hsmeta.json`, e.g. `pause-ai`. */
  fileKey: string;
  actionUrl?: string;
  actionDefinitionId: number;
  actionDefinitionVersion: number;
  objectTypes: string[];
  objectProperties: string[];
  inputFieldNames: string[];
  outputFieldNames: string[];
}

export interface ActionAttempt {
  attemptNumber: number;
  startedAt: number;
  durationMs?: number;
  status?: number;
  error?: string;
  responseBody?: string;
}

export type ActionExecutionStatus = 'pending' | 'retrying' | 'completed' | 'blocked' | 'failed' | 'expired';

export interface ActionExecution {
  id: number;
  callbackId: string;
  portalId: number;
  actionUid?: string;
  actionDefinitionId: number;
  url: string;
  request: Record<string, unknown>;
  rawBody: string;
  attempts: ActionAttempt[];
  status: ActionExecutionStatus;
  executionState?: string;
  outputFields?: Record<string, string>;
  completedVia?: 'response' | 'callback';
  blockedUntil?: number;
  createdAt: number;
  completedAt?: number;
  error?: string;
}

export interface CardFetchRecord {
  id: number;
  portalId: number;
  userId: number;
  method: string;
  url: string;
  requestBody?: string;
  headers: Record<string, string>;
  attempts: number;
  status: number;
  responseBody: unknown;
  error?: string;
  at: number;
}

export interface ApiRequestRecord {
  at: number;
  method: string;
  path: string;
  status: number;
  portalId?: number;
  tokenKind?: 'oauth' | 'private-app' | 'app';
}

export interface Fault {
  id: number;
  /** Path prefix such as `/crm` or `/oauth`; undefined = every HubSpot API route. */
  pathPrefix?: string;
  method?: string;
  /** 'status' answers `status`; 'rate-limit' answers HubSpot's 429; 'delay' slows then answers normally; 'hang' never answers until cleared. */
  kind: 'status' | 'rate-limit' | 'delay' | 'hang';
  status?: number;
  delayMs?: number;
  /** Absolute clock time (ms) after which the fault lapses. */
  until?: number;
  /** How many more requests it applies to. */
  remaining?: number;
  hits: number;
}

/** A request the sandbox refused because HubSpot's reference does not allow it. */
export interface ContractViolation {
  at: number;
  method: string;
  path: string;
  kind: 'not_in_contract' | 'undocumented_parameter' | 'undocumented_value' | 'missing_scope';
  detail: string;
}

/** One journal entry: an app install or uninstall in a portal (docs/hubspot-contract.md §1.5). */
export interface JournalEntry {
  /** The entry's `currentOffset` (a UUID); the next read starts after it. */
  offset: string;
  portalId: number;
  action: 'APP_INSTALL' | 'APP_UNINSTALL';
  occurredAt: number;
  eventId: number;
}

/** A client-credentials token: the app's own, for no portal (the Webhooks Journal API). */
export interface AppTokenRecord {
  token: string;
  scopes: string[];
  expiresAt: number;
}

export interface SandboxState {
  portals: Record<string, SandboxPortal>;
  authCodes: Record<string, AuthCodeRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  privateAppTokens: Record<string, PrivateAppTokenRecord>;
  appTokens: Record<string, AppTokenRecord>;
  /** The app's Webhooks Journal: its installs and uninstalls, oldest first. */
  journal: JournalEntry[];
  webhook: {
    /** From the webhooks hsmeta file (resolved), if present. */
    configuredTargetUrl?: string;
    /** Set by control.setWebhookTarget; wins over the file. */
    targetOverride?: string;
    maxConcurrentRequests: number;
    subscriptions: Subscription[];
    injections: DeliveryInjections;
  };
  /** Every event generated, as first created (attemptNumber 0). */
  webhookEvents: WebhookEvent[];
  webhookDeliveries: DeliveryAttempt[];
  actionDefinitions: ActionDefinition[];
  actionExecutions: ActionExecution[];
  cardFetches: CardFetchRecord[];
  apiRequests: ApiRequestRecord[];
  /**
   * HubSpot API calls by portal (`none`: no bearer, the OAuth endpoints; `app`: the app's own token) and by
   * contract operation id: every call that reached its route, whatever the answer. Counters, not a log: never
   * capped, cleared by reset, not kept in the state file (api-calls.ts; read with GET /_sandbox/api-calls).
   */
  apiCalls: Record<string, Record<string, number>>;
  /** Requests HubSpot's published contract does not allow (contract/operations.ts); see contract/route.ts. */
  contractViolations: ContractViolation[];
  rateLimit: { max: number; intervalMs: number };
  faults: Fault[];
  counters: Record<string, number>;
}
