import type { Timestamp } from '@opencx/shared';

/**
 * What went wrong for an organization, for its admin to see on the settings page (a log line reaches nobody).
 * `organizationId` is null for a problem about a portal no organization holds right now (webhooks for a portal
 * whose connection was removed); the page of the organization that last held the portal shows it.
 */
export type IntegrationProblemKind = 'reply_failed' | 'token_refused' | 'webhook_without_connection' | 'no_ai_sender'
  | 'app_uninstalled';

export interface IntegrationProblem {
  id: number;
  organizationId: string | null;
  portalId: number | null;
  kind: IntegrationProblemKind;
  message: string;
  threadId: string | null;
  at: Timestamp;
}

/** The same problem again within this window is not stored twice (a webhook storm for a removed portal). */
export const PROBLEM_REPEAT_WINDOW_MS = 10 * 60_000;

export interface IntegrationProblemsStore {
  /** Stores the problem, unless the same one (organization, portal, kind, thread, text) was stored within the window. */
  record(problem: Omit<IntegrationProblem, 'id'>): Promise<void>;
  /** Newest first: the organization's problems and those of its portal. */
  listRecent(organizationId: string, portalId: number | null, limit: number): Promise<IntegrationProblem[]>;
  /** Keeps the newest `keep` per organization and portal, so a loop of one failure cannot grow the table. */
  prune(keep: number): Promise<number>;
}
