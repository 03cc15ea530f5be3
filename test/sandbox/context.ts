// The object every sandbox module works on: state, configuration, clock and the hooks that turn state changes
// into outbound webhooks. Passed explicitly so several sandboxes can run side by side in one test process.
import type { AppConfig, ResolvedConfig } from './options';
import type { ProjectFiles } from './project-files';
import type { SandboxState } from './runtime-types';
import type { LiveEvents } from './live-events';
import type { WorkTracker } from './work-tracker';

/** Who made a change, as HubSpot reports it in `changeSource` / `sourceId`. */
export interface ChangeOrigin {
  changeSource: string;
  sourceId?: string;
}

export type CrmObjectType = 'ticket' | 'contact';

/** A state change that may produce webhook events (see subscriptions.ts). */
export type Change =
  | { kind: 'object.creation' | 'object.deletion'; objectType: CrmObjectType; objectId: string; origin: ChangeOrigin }
  | { kind: 'object.propertyChange'; objectType: CrmObjectType; objectId: string; propertyName: string; propertyValue: string; origin: ChangeOrigin }
  | { kind: 'contact.privacyDeletion'; objectId: string }
  | { kind: 'conversation.creation' | 'conversation.deletion' | 'conversation.privacyDeletion'; threadId: string }
  | { kind: 'conversation.propertyChange'; threadId: string; propertyName: string; propertyValue: string }
  | { kind: 'conversation.newMessage'; threadId: string; messageId: string; messageType: 'MESSAGE' | 'COMMENT' };

export interface SandboxContext {
  state: SandboxState;
  app: AppConfig;
  config: ResolvedConfig;
  project: ProjectFiles;
  now(): number;
  log(line: string): void;
  work: WorkTracker;
  /** Records a change in a portal; matching subscriptions become queued webhook events. */
  emit(portalId: number, change: Change): void;
  /** Something in the state changed: saves it (when the sandbox has a state file) and tells the live page. */
  changed(): void;
  live: LiveEvents;
  /** Aborted by close(): cancels in-flight outbound requests and hanging fault responses. */
  shutdown: AbortSignal;
}

/** An error a control operation reports to its caller (HTTP status for the control API). */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

// UI changes are attributed to the acting user; API changes to the app (real captures show both forms).
// ASSUMPTION (UNVERIFIED): API writes report changeSource "INTEGRATION" with sourceId = appId. source: docs/hubspot-contract.md §2.6/§2.8
export const uiOrigin = (userId?: number): ChangeOrigin =>
  userId === undefined ? { changeSource: 'CRM_UI' } : { changeSource: 'CRM_UI', sourceId: `userId:${userId}` };
export const apiOrigin = (appId: number): ChangeOrigin => ({ changeSource: 'INTEGRATION', sourceId: String(appId) });
