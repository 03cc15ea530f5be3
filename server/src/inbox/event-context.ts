import type { HubSpotConnection, NormalizedEvent, Organization } from '@opencx/shared';
import type { ClaimedInboxEvent } from '../store/webhook-inbox.store';
import type { Store } from '../store/store';
import type { PortalContext } from '../sync/sync-deps';

export interface EventContext<E extends NormalizedEvent = NormalizedEvent> extends PortalContext {
  event: E;
  claim: ClaimedInboxEvent;
  connection: HubSpotConnection;
  organization: Organization;
}

/**
 * What a handler decided. Handlers read (database, HubSpot) first and return their writes as `write`, which the
 * processor runs in one transaction together with marking the event done: either both happen or neither, so
 * a crash or a lost lease can never apply an event twice or mark it done without its effect.
 */
export interface HandlerOutcome {
  status: 'done' | 'ignored';
  /** For operators: what was done, or why nothing was (stored in webhook_inbox.note). */
  note: string;
  write?: (tx: Store) => Promise<void>;
  /** Runs after a successful commit (e.g. filling in an agent's name later, or scrubbing erased data from the files). */
  afterCommit?: () => void | Promise<void>;
}

export type EventHandler<E extends NormalizedEvent> = (ctx: EventContext<E>) => Promise<HandlerOutcome>;

export const done = (note: string, write?: (tx: Store) => Promise<void>, afterCommit?: () => void | Promise<void>): HandlerOutcome => ({
  status: 'done',
  note,
  ...(write ? { write } : {}),
  ...(afterCommit ? { afterCommit } : {}),
});

export const ignored = (note: string): HandlerOutcome => ({ status: 'ignored', note });
