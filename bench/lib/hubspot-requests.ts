// The requests HubSpot sends to the server, built and signed the way HubSpot does it (docs/hubspot-contract.md §2.4,
// docs/hubspot-contract.md §2.6–2.8, §3.1, §4): webhook batches of distinct events, workflow-action calls and card fetches.
import { CARD_STATUS_PATH } from '@opencx/shared';
import { signV3 } from '../../test/sandbox/signing';
import type { BenchApp, PortalFixture, TicketFixture } from './fixtures';

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type RawEvent = Record<string, unknown>;

// Distinct across the run and across runs on the same database: dedup must never turn the load into no-ops.
let sequence = 0;
const runBase = Date.now() * 1000;
export const nextId = (): number => runBase + ++sequence;

/**
 * One event of the intake load: a customer message in a conversation (docs/hubspot-contract.md §2.6 `conversation.newMessage`), the bulk
 * of HubSpot traffic, each in a thread no other event names (the worker looks the thread up in HubSpot: here the
 * sandbox, which does not know it, so the worker ends by ignoring the event).
 */
export function messageEvent(app: BenchApp, portal: Pick<PortalFixture, 'portalId'>, now: number): RawEvent {
  const id = nextId();
  return {
    eventId: id,
    subscriptionId: 27,
    portalId: portal.portalId,
    appId: app.appId,
    occurredAt: now,
    subscriptionType: 'conversation.newMessage',
    attemptNumber: 0,
    objectId: id,
    messageId: id.toString(16).padStart(32, '0'),
    messageType: 'MESSAGE',
    changeFlag: 'NEW_MESSAGE',
  };
}

/** An agent becomes the owner of a ticket (docs/hubspot-contract.md §2.8 `object.propertyChange`, ticket `0-5`, `hubspot_owner_id`). */
export function ownerChangeEvent(app: BenchApp, portal: PortalFixture, ticketId: string | number, now: number): RawEvent {
  return {
    eventId: nextId(),
    subscriptionId: 25,
    portalId: portal.portalId,
    appId: app.appId,
    occurredAt: now,
    subscriptionType: 'object.propertyChange',
    attemptNumber: 0,
    objectId: Number(ticketId),
    objectTypeId: '0-5',
    propertyName: 'hubspot_owner_id',
    propertyValue: portal.ownerId,
    changeSource: 'CRM_UI',
    sourceId: `userId:${portal.userId}`,
    isSensitive: false,
  };
}

/** History for the stored-events configuration: messages and owner changes of tickets, alternately. */
export function storedEvent(app: BenchApp, portal: PortalFixture, now: number): RawEvent {
  return sequence % 2 === 0 ? messageEvent(app, portal, now) : ownerChangeEvent(app, portal, nextId(), now);
}

export class Signer {
  constructor(
    readonly app: BenchApp,
    /** PUBLIC_BASE_URL of the server: HubSpot signs the URL it called. */
    readonly publicBaseUrl: string,
  ) {}

  /** v3 headers (and JSON content type when there is a body), timestamp now. */
  sign(method: 'GET' | 'POST', path: string, body = ''): Record<string, string> {
    const timestamp = Date.now();
    return {
      ...(body ? { 'content-type': 'application/json' } : {}),
      'x-hubspot-signature-v3': signV3(this.app.clientSecret, method, this.publicBaseUrl + path, body, timestamp),
      'x-hubspot-request-timestamp': String(timestamp),
    };
  }

  webhookBatch(events: RawEvent[]): BenchRequest {
    const body = JSON.stringify(events);
    return { method: 'POST', path: '/hubspot/webhooks', headers: this.sign('POST', '/hubspot/webhooks', body), body };
  }

  /** `action` is a workflow action slug (pause-ai, resume-ai, ...); the body follows docs/hubspot-contract.md §3.1. */
  action(action: string, ticket: TicketFixture, inputFields: Record<string, string>): BenchRequest {
    const path = `/hubspot/actions/${action}`;
    const body = JSON.stringify({
      callbackId: `ap-${ticket.portalId}-${nextId()}-1-0`,
      origin: { portalId: ticket.portalId, actionDefinitionId: 10646377, actionDefinitionVersion: 1 },
      context: { source: 'WORKFLOWS', workflowId: 192814114 },
      object: { objectId: Number(ticket.ticketId), objectType: 'TICKET', properties: { hubspot_owner_id: null } },
      inputFields,
      fields: inputFields,
    });
    return { method: 'POST', path, headers: this.sign('POST', path, body), body };
  }

  /** The card's status read as hubspot.fetch sends it: ticketId from the card, identity params appended (docs/hubspot-contract.md §4). */
  cardStatus(portal: PortalFixture, ticket: TicketFixture): BenchRequest {
    const query = new URLSearchParams({
      ticketId: ticket.ticketId,
      userId: String(portal.userId),
      portalId: String(portal.portalId),
      userEmail: portal.email,
      appId: String(this.app.appId),
    });
    const path = `${CARD_STATUS_PATH}?${query.toString()}`;
    return { method: 'GET', path, headers: this.sign('GET', path) };
  }
}
