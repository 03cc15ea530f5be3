import type { Timestamp } from '../types';

/**
 * The fields that identify one HubSpot webhook event, kept on every normalized event so that the inbox can
 * dedupe (see keys.ts) and logs can point at the exact delivery. Absent fields are `null`, never `undefined`,
 * so a stored row and a freshly parsed event compare equal.
 */
export interface WebhookEventIdentity {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: Timestamp;
  subscriptionType: string;
  /** Starts at 0 and grows on each retry; kept for logs, never part of the dedup key. */
  attemptNumber: number;
  /** For conversation events this is the thread id. Null only for unsupported events that carry none. */
  objectId: number | null;
  objectTypeId: string | null;
  propertyName: string | null;
  propertyValue: string | null;
  messageId: string | null;
  /** Who or what made the change (`CRM_UI`, `INTEGRATION`, …) and its id (`userId:123`): lets the worker spot our writes. */
  changeSource: string | null;
  sourceId: string | null;
}

export type ThreadMessageType = 'MESSAGE' | 'COMMENT';

interface Common {
  portalId: number;
  occurredAt: Timestamp;
  raw: WebhookEventIdentity;
}

/**
 * A webhook event as the domain sees it: one kind per thing we react to, whatever HubSpot format it came in.
 * HubSpot ids become strings here, as in the domain records (types.ts).
 */
export type NormalizedEvent =
  | (Common & {
      kind: 'ticketOwnerChanged';
      ticketId: string;
      /** Null when the owner was cleared. */
      ownerId: string | null;
      /** The HubSpot user who changed it, from `sourceId: "userId:<id>"`, when HubSpot says. */
      sourceUserId?: string;
    })
  | (Common & { kind: 'ticketCreated'; ticketId: string })
  | (Common & { kind: 'ticketDeleted'; ticketId: string })
  | (Common & { kind: 'threadCreated'; threadId: string })
  | (Common & { kind: 'threadDeleted'; threadId: string })
  | (Common & { kind: 'threadPrivacyDeleted'; threadId: string })
  | (Common & {
      kind: 'threadAssigneeChanged';
      threadId: string;
      /** HubSpot's actor id as sent (`A-123`), null when unassigned. */
      actorId: string | null;
      /** The HubSpot user id of an `A-<userId>` actor; null when unassigned or the actor is not a user. */
      userId: string | null;
    })
  | (Common & { kind: 'threadNewMessage'; threadId: string; messageId: string; messageType: ThreadMessageType })
  | (Common & { kind: 'contactPrivacyDeleted'; contactId: string })
  | (Common & {
      kind: 'unsupported';
      subscriptionType: string;
      /** Why we do not handle it, for logs (unknown type, other object type, other property). */
      reason: string;
    });

export type NormalizedEventKind = NormalizedEvent['kind'];

export interface WebhookBatchError {
  /** The event's position in the batch (0-based); null for problems with the body as a whole. */
  index: number | null;
  eventId?: number;
  subscriptionType?: string;
  /** Dotted path inside the event (`messageId`); '' for the event or body itself. */
  path: string;
  /** Names the event and the field, e.g. `event 3 (eventId 42, conversation.newMessage): messageId: expected string`. */
  message: string;
}

export type WebhookBatchResult =
  | { ok: true; events: NormalizedEvent[] }
  | { ok: false; errors: WebhookBatchError[] };
