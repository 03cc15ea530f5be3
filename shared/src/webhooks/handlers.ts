import { z } from 'zod';
import { check, hubspotId, type Checked } from './envelope';
import type { NormalizedEvent, WebhookEventIdentity } from './normalized-event';

/** HubSpot's object type id of tickets in `object.*` events (docs/hubspot-contract.md §2.8). */
export const TICKET_OBJECT_TYPE_ID = '0-5';
export const TICKET_OWNER_PROPERTY = 'hubspot_owner_id';
export const THREAD_ASSIGNEE_PROPERTY = 'assignedTo';

type Handler = (input: unknown, raw: WebhookEventIdentity) => Checked<NormalizedEvent>;

// The strict half of parsing: for a subscription type we handle, the fields we use must be there and typed.
const withObjectId = z.object({ objectId: hubspotId });
const withProperty = withObjectId.extend({ propertyName: z.string() });
const withObjectType = withObjectId.extend({ objectTypeId: z.string() });
const withObjectProperty = withObjectType.extend({ propertyName: z.string() });
// "If unassigned, it will be empty" (docs/hubspot-contract.md §2.6); whether empty means "" or an absent field is not documented, so
// both (and null) mean "cleared". A non-string value is still an error.
// UNVERIFIED: a cleared ticket owner arrives as propertyValue "" (docs/hubspot-contract.md §2.8)
const withClearableValue = withObjectId.extend({ propertyValue: z.string().nullish() });
const withMessage = withObjectId.extend({
  messageId: z.string().min(1),
  // A message type we don't know (HubSpot may add system messages) is ignored, not rejected: rejecting it
  // would make HubSpot retry the whole batch for days.
  messageType: z.string().min(1),
});
const KNOWN_MESSAGE_TYPES = ['MESSAGE', 'COMMENT'] as const;
const isKnownMessageType = (t: string): t is (typeof KNOWN_MESSAGE_TYPES)[number] =>
  (KNOWN_MESSAGE_TYPES as readonly string[]).includes(t);

const common = (raw: WebhookEventIdentity) => ({ portalId: raw.portalId, occurredAt: raw.occurredAt, raw });

export const unsupported = (raw: WebhookEventIdentity, reason: string): Checked<NormalizedEvent> => ({
  ok: true,
  value: { kind: 'unsupported', ...common(raw), subscriptionType: raw.subscriptionType, reason },
});

const then = <T>(checked: Checked<T>, next: (value: T) => Checked<NormalizedEvent>): Checked<NormalizedEvent> =>
  checked.ok ? next(checked.value) : checked;

const accept = (value: NormalizedEvent): Checked<NormalizedEvent> => ({ ok: true, value });

const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** For events that only need the object id, which `make` turns into the domain's string id. */
const byObjectId =
  (make: (id: string, raw: WebhookEventIdentity) => NormalizedEvent): Handler =>
  (input, raw) =>
    then(check(withObjectId, input), (v) => accept(make(String(v.objectId), raw)));

const ticketOwnerChanged: Handler = (input, raw) =>
  then(check(withClearableValue, input), (v) => {
    // UNVERIFIED: sourceId "userId:<id>" names the user who made the change, seen in captures only
    // (docs/hubspot-contract.md §2.6)
    const sourceUserId = /^userId:(\d+)$/.exec(raw.sourceId ?? '')?.[1];
    return accept({
      kind: 'ticketOwnerChanged',
      ...common(raw),
      ticketId: String(v.objectId),
      ownerId: blankToNull(v.propertyValue),
      ...(sourceUserId ? { sourceUserId } : {}),
    });
  });

const threadAssigneeChanged: Handler = (input, raw) =>
  then(check(withClearableValue, input), (v) => {
    const actorId = blankToNull(v.propertyValue);
    // Agents are `A-<userId>`; other actor kinds are kept as actorId for logs but name no user.
    const userId = actorId === null ? null : (/^A-(\d+)$/.exec(actorId)?.[1] ?? null);
    return accept({ kind: 'threadAssigneeChanged', ...common(raw), threadId: String(v.objectId), actorId, userId });
  });

const ticketCreated = byObjectId((ticketId, raw) => ({ kind: 'ticketCreated', ...common(raw), ticketId }));
const ticketDeleted = byObjectId((ticketId, raw) => ({ kind: 'ticketDeleted', ...common(raw), ticketId }));

/** `object.*` events name their object type; only tickets are ours, other types are accepted and ignored. */
const forTickets =
  (handler: Handler): Handler =>
  (input, raw) =>
    then(check(withObjectType, input), (v) =>
      v.objectTypeId === TICKET_OBJECT_TYPE_ID
        ? handler(input, raw)
        : unsupported(raw, `object type ${v.objectTypeId} is not handled`),
    );

/** Property changes we did not subscribe to (a new subscription) are accepted and ignored, not rejected. */
const forProperty =
  (schema: typeof withProperty | typeof withObjectProperty, propertyName: string, handler: Handler): Handler =>
  (input, raw) =>
    then(check(schema, input), (v) =>
      v.propertyName === propertyName ? handler(input, raw) : unsupported(raw, `property ${v.propertyName} is not handled`),
    );

/**
 * One handler per subscription type we know. Both ticket formats are here: the project's `crmObjects`
 * (`object.*` with objectTypeId) and `legacyCrmObjects` (`ticket.*`), since either may be configured.
 */
export const webhookHandlers = {
  'object.propertyChange': forTickets(forProperty(withObjectProperty, TICKET_OWNER_PROPERTY, ticketOwnerChanged)),
  'object.creation': forTickets(ticketCreated),
  'object.deletion': forTickets(ticketDeleted),
  'ticket.propertyChange': forProperty(withProperty, TICKET_OWNER_PROPERTY, ticketOwnerChanged),
  'ticket.creation': ticketCreated,
  'ticket.deletion': ticketDeleted,
  'conversation.creation': byObjectId((threadId, raw) => ({ kind: 'threadCreated', ...common(raw), threadId })),
  'conversation.deletion': byObjectId((threadId, raw) => ({ kind: 'threadDeleted', ...common(raw), threadId })),
  'conversation.privacyDeletion': byObjectId((threadId, raw) => ({
    kind: 'threadPrivacyDeleted',
    ...common(raw),
    threadId,
  })),
  'conversation.propertyChange': forProperty(withProperty, THREAD_ASSIGNEE_PROPERTY, threadAssigneeChanged),
  'conversation.newMessage': (input, raw) =>
    then(check(withMessage, input), (v) =>
      !isKnownMessageType(v.messageType) ? unsupported(raw, `message type ${v.messageType}`) : accept({
        kind: 'threadNewMessage',
        ...common(raw),
        threadId: String(v.objectId),
        messageId: v.messageId,
        messageType: v.messageType,
      }),
    ),
  'contact.privacyDeletion': byObjectId((contactId, raw) => ({ kind: 'contactPrivacyDeleted', ...common(raw), contactId })),
} as const satisfies Record<string, Handler>;

export type HandledSubscriptionType = keyof typeof webhookHandlers;
export const HANDLED_SUBSCRIPTION_TYPES = Object.keys(webhookHandlers) as HandledSubscriptionType[];

/** Own keys only: a subscriptionType of `constructor` or `__proto__` must not find a prototype member. */
export const handlerFor = (subscriptionType: string): Handler | undefined =>
  Object.hasOwn(webhookHandlers, subscriptionType)
    ? webhookHandlers[subscriptionType as HandledSubscriptionType]
    : undefined;
