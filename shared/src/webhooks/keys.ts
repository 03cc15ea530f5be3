import { TICKET_OBJECT_TYPE_ID } from './handlers';
import type { NormalizedEvent, WebhookEventIdentity } from './normalized-event';

// null → '' and a string → '=' + encoded, so that null, "" and "x" never collide, and ':' inside a value
// cannot shift the fields.
const part = (value: string | number | null): string =>
  value === null ? '' : typeof value === 'number' ? String(value) : `=${encodeURIComponent(value)}`;

/**
 * The inbox's dedup key. HubSpot may deliver an event more than once and says `eventId` alone "is not
 * guaranteed to be unique" (docs/hubspot-contract.md §2.5), so the key is every field that identifies the change.
 * `attemptNumber` is left out on purpose: a retry is the same event and must dedupe. `subscriptionType` is
 * implied by `subscriptionId`.
 */
export const dedupKeyOf = ({ raw }: { raw: WebhookEventIdentity }): string =>
  `hs:${[
    raw.portalId,
    raw.subscriptionId,
    raw.eventId,
    raw.occurredAt,
    raw.objectId,
    raw.propertyName,
    raw.propertyValue,
    raw.messageId,
  ]
    .map(part)
    .join(':')}`;

/** Unsupported events still get a lane per object, so handling one later keeps its events in order. */
const laneOfRaw = (raw: WebhookEventIdentity): string => {
  const family = raw.subscriptionType.split('.')[0];
  const entity =
    family === 'conversation'
      ? 'thread'
      : family === 'ticket' || raw.objectTypeId === TICKET_OBJECT_TYPE_ID
        ? 'ticket'
        : family === 'contact' || raw.objectTypeId === '0-1'
          ? 'contact'
          : `other:${raw.objectTypeId ?? family}`;
  return `${entity}:${raw.portalId}:${raw.objectId ?? '-'}`;
};

/**
 * Events with the same key are about one conversation, ticket or contact and are handled one at a time in
 * `occurredAt` order, because HubSpot does not deliver them in order (docs/hubspot-contract.md §2.5). Different keys may run in parallel.
 */
export const orderingKeyOf = (event: NormalizedEvent): string => {
  switch (event.kind) {
    case 'ticketOwnerChanged':
    case 'ticketCreated':
    case 'ticketDeleted':
      return `ticket:${event.portalId}:${event.ticketId}`;
    case 'threadCreated':
    case 'threadDeleted':
    case 'threadPrivacyDeleted':
    case 'threadAssigneeChanged':
    case 'threadNewMessage':
      return `thread:${event.portalId}:${event.threadId}`;
    case 'contactPrivacyDeleted':
      return `contact:${event.portalId}:${event.contactId}`;
    case 'unsupported':
      return laneOfRaw(event.raw);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};

/** Sort order within a lane: occurredAt, then eventId so that equal times still sort the same way every time. */
export const compareByOccurrence = (a: { raw: WebhookEventIdentity }, b: { raw: WebhookEventIdentity }): number =>
  a.raw.occurredAt - b.raw.occurredAt || a.raw.eventId - b.raw.eventId;
