import type { NormalizedEvent, NormalizedEventKind } from '@opencx/shared';
import { ignored, type EventHandler } from './event-context';
import { handleThreadNewMessage } from './handle-new-message';
import { handleTicketCreated, handleTicketDeleted, handleTicketOwnerChanged } from './handle-ticket-events';
import {
  handleThreadAssigneeChanged,
  handleThreadCreated,
  handleThreadDeleted,
  handleThreadPrivacyDeleted,
} from './handle-thread-events';
import { handleContactPrivacyDeleted } from './privacy';

type Registry = { [K in NormalizedEventKind]: EventHandler<Extract<NormalizedEvent, { kind: K }>> };

/** One handler per normalized event kind: a new kind in shared/ without a handler is a compile error here. */
export const eventHandlers = {
  ticketCreated: handleTicketCreated,
  ticketOwnerChanged: handleTicketOwnerChanged,
  ticketDeleted: handleTicketDeleted,
  threadCreated: handleThreadCreated,
  threadAssigneeChanged: handleThreadAssigneeChanged,
  threadNewMessage: handleThreadNewMessage,
  threadDeleted: handleThreadDeleted,
  threadPrivacyDeleted: handleThreadPrivacyDeleted,
  contactPrivacyDeleted: handleContactPrivacyDeleted,
  unsupported: async (ctx) => ignored(ctx.event.reason),
} as const satisfies Registry;

/** Ownership changes: a late one (HubSpot does not deliver in order) must not undo a later one already applied. */
export const OWNERSHIP_KINDS: readonly NormalizedEventKind[] = ['ticketOwnerChanged', 'threadAssigneeChanged'];

/**
 * The events that mean "a person takes this conversation": the intake applies them before answering HubSpot, so
 * the AI is paused by the time the delivery is acknowledged.
 */
export const isTakeover = (event: NormalizedEvent): boolean =>
  (event.kind === 'ticketOwnerChanged' && event.ownerId !== null) ||
  (event.kind === 'threadAssigneeChanged' && event.userId !== null);
