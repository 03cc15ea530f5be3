// Turns state changes into webhook events for the app's active subscriptions (docs/hubspot-contract.md §2.6–2.8,
// docs/hubspot-contract.md §8.3). Events exist only for portals where the app is installed.
import type { Change, SandboxContext } from './context';
import { isInstalled } from './grants';
import { nextId } from './ids';
import type { Subscription, WebhookEvent } from './runtime-types';

/** Used when the project has no webhooks hsmeta file yet: the set this product needs. */
export const DEFAULT_SUBSCRIPTIONS: Omit<Subscription, 'id'>[] = [
  { group: 'crmObjects', subscriptionType: 'object.creation', objectType: 'ticket', active: true },
  { group: 'crmObjects', subscriptionType: 'object.deletion', objectType: 'ticket', active: true },
  { group: 'crmObjects', subscriptionType: 'object.propertyChange', objectType: 'ticket', propertyName: 'hubspot_owner_id', active: true },
  { group: 'hubEvents', subscriptionType: 'conversation.creation', active: true },
  { group: 'hubEvents', subscriptionType: 'conversation.deletion', active: true },
  { group: 'hubEvents', subscriptionType: 'conversation.privacyDeletion', active: true },
  { group: 'hubEvents', subscriptionType: 'conversation.newMessage', active: true },
  { group: 'hubEvents', subscriptionType: 'conversation.propertyChange', propertyName: 'assignedTo', active: true },
  { group: 'hubEvents', subscriptionType: 'contact.privacyDeletion', active: true },
];

// ASSUMPTION (UNVERIFIED): subscription ids are arbitrary numbers assigned by HubSpot at upload. source: docs/hubspot-contract.md §2.8 capture
const FIRST_SUBSCRIPTION_ID = 7662269;

export function numberSubscriptions(subs: Omit<Subscription, 'id'>[]): Subscription[] {
  return subs.map((s, i) => ({ ...s, id: FIRST_SUBSCRIPTION_ID + i }));
}

const OBJECT_TYPE_IDS: Record<string, string> = { contact: '0-1', company: '0-2', deal: '0-3', ticket: '0-5' };
const objectTypeMatches = (configured: string | undefined, actual: string): boolean =>
  configured !== undefined && (configured.toLowerCase() === actual || configured === OBJECT_TYPE_IDS[actual]);

function matches(sub: Subscription, change: Change): boolean {
  if (!sub.active) return false;
  const t = sub.subscriptionType;
  switch (change.kind) {
    case 'object.creation':
    case 'object.deletion':
    case 'object.propertyChange': {
      const verb = change.kind.slice('object.'.length);
      const propertyOk = change.kind !== 'object.propertyChange' || sub.propertyName === change.propertyName;
      if (sub.group === 'crmObjects') return t === change.kind && objectTypeMatches(sub.objectType, change.objectType) && propertyOk;
      return sub.group === 'legacyCrmObjects' && t === `${change.objectType}.${verb}` && propertyOk;
    }
    case 'contact.privacyDeletion':
      return t === 'contact.privacyDeletion';
    case 'conversation.propertyChange':
      return t === change.kind && (sub.propertyName === undefined || sub.propertyName === change.propertyName);
    default:
      return t === change.kind;
  }
}

// ASSUMPTION (UNVERIFIED): changeFlag values and changeSource on conversation events are illustrative in the
// reference ("CREATED"/"NEW", "NEW_MESSAGE", "DELETED", "CONVERSATIONS"). source: docs/hubspot-contract.md §2.6
function payloadFields(sub: Subscription, change: Change): Record<string, unknown> {
  switch (change.kind) {
    case 'object.creation':
    case 'object.deletion':
    case 'object.propertyChange': {
      const isNew = sub.group === 'crmObjects';
      const fields: Record<string, unknown> = { objectId: Number(change.objectId) };
      if (isNew) fields['objectTypeId'] = OBJECT_TYPE_IDS[change.objectType];
      if (change.kind === 'object.propertyChange') {
        fields['propertyName'] = change.propertyName;
        fields['propertyValue'] = change.propertyValue;
      } else {
        fields['changeFlag'] = change.kind === 'object.deletion' ? 'DELETED' : isNew ? 'CREATED' : 'NEW';
      }
      fields['changeSource'] = change.origin.changeSource;
      if (change.origin.sourceId !== undefined) fields['sourceId'] = change.origin.sourceId;
      if (isNew && change.kind === 'object.propertyChange') fields['isSensitive'] = false;
      return fields;
    }
    case 'contact.privacyDeletion':
      return { objectId: Number(change.objectId), changeFlag: 'PRIVACY_DELETED', changeSource: 'GDPR' };
    case 'conversation.creation':
      return { objectId: Number(change.threadId), changeFlag: 'CREATED', changeSource: 'CONVERSATIONS' };
    case 'conversation.deletion':
      return { objectId: Number(change.threadId), changeFlag: 'DELETED', changeSource: 'CONVERSATIONS' };
    case 'conversation.privacyDeletion':
      return { objectId: Number(change.threadId), changeFlag: 'PRIVACY_DELETED', changeSource: 'CONVERSATIONS' };
    case 'conversation.propertyChange':
      return { objectId: Number(change.threadId), propertyName: change.propertyName, propertyValue: change.propertyValue, changeSource: 'CONVERSATIONS' };
    case 'conversation.newMessage':
      return { objectId: Number(change.threadId), messageId: change.messageId, messageType: change.messageType, changeFlag: 'NEW_MESSAGE' };
  }
}

/** Builds the events a change produces in a portal (one per matching subscription). */
/** The events of a change for the OAuth app (when installed), or for a Private App (`privateAppId`). */
export function eventsFor(ctx: SandboxContext, portalId: number, change: Change, privateAppId?: number): WebhookEvent[] {
  if (privateAppId === undefined && !isInstalled(ctx, portalId)) return [];
  const occurredAt = ctx.now();
  return ctx.state.webhook.subscriptions
    .filter((sub) => matches(sub, change))
    .map((sub) => ({
      eventId: nextId(ctx.state, 'eventId'),
      subscriptionId: sub.id,
      portalId,
      appId: privateAppId ?? ctx.app.appId,
      occurredAt,
      subscriptionType: sub.subscriptionType,
      attemptNumber: 0,
      ...payloadFields(sub, change),
    }) as WebhookEvent);
}
