/**
 * Webhook events as HubSpot sends them, for tests. The first four are the example batch of
 * docs/hubspot-contract.md §2.6; `object.*` events follow the real captures of §2.8;
 * the others are built from the same fields (the reference has no example of their own).
 */
export type RawEvent = Record<string, unknown>;

const identity = { portalId: 62515, appId: 1160452, attemptNumber: 0 };

export const legacyOwnerChange: RawEvent = {
  eventId: 3816279340, subscriptionId: 25, ...identity, occurredAt: 1714000000000,
  subscriptionType: 'ticket.propertyChange', objectId: 1145814089,
  propertyName: 'hubspot_owner_id', propertyValue: '52550153', changeSource: 'CRM_UI', sourceId: 'userId:1234',
};
export const assigneeChange: RawEvent = {
  eventId: 3816279341, subscriptionId: 26, ...identity, occurredAt: 1714000000500,
  subscriptionType: 'conversation.propertyChange', objectId: 7301394719,
  propertyName: 'assignedTo', propertyValue: 'A-52550153', changeSource: 'CONVERSATIONS',
};
export const newMessage: RawEvent = {
  eventId: 3816279342, subscriptionId: 27, ...identity, occurredAt: 1714000001000,
  subscriptionType: 'conversation.newMessage', objectId: 7301394719,
  messageId: 'b4e7f0c6a1d34c8e9f2f4d5c6b7a8e9f', messageType: 'MESSAGE', changeFlag: 'NEW_MESSAGE',
};
export const legacyTicketDeletion: RawEvent = {
  eventId: 3816279343, subscriptionId: 28, ...identity, occurredAt: 1714000002000,
  subscriptionType: 'ticket.deletion', objectId: 1145814089, changeFlag: 'DELETED', changeSource: 'CRM_UI',
};

/** The docs/hubspot-contract.md §2.8 capture (a contact email change), unchanged: a type we do not handle. */
export const capturedContactEmailChange: RawEvent = {
  eventId: 1765889350, subscriptionId: 7662269, portalId: 247279312, appId: 51879189, occurredAt: 1788597072520,
  subscriptionType: 'object.propertyChange', attemptNumber: 0, objectId: 546500061938, objectTypeId: '0-1',
  propertyName: 'email', propertyValue: 'x@example.com', changeSource: 'CRM_UI', sourceId: 'userId:98499705',
  isSensitive: false,
};
/** The same capture's shape for our ticket owner subscription. */
export const objectOwnerChange: RawEvent = {
  ...capturedContactEmailChange,
  eventId: 1765889351, objectId: 546500061999, objectTypeId: '0-5',
  propertyName: 'hubspot_owner_id', propertyValue: '98499705',
};

const at = (eventId: number, subscriptionType: string, extra: RawEvent): RawEvent => ({
  eventId, subscriptionId: 30, ...identity, occurredAt: 1714000003000, subscriptionType, ...extra,
});

export const objectTicketCreation = at(11, 'object.creation', { objectId: 1145814090, objectTypeId: '0-5', changeFlag: 'CREATED', sourceId: 'userId:45678' });
export const objectTicketDeletion = at(12, 'object.deletion', { objectId: 1145814090, objectTypeId: '0-5', changeFlag: 'DELETED' });
export const legacyTicketCreation = at(13, 'ticket.creation', { objectId: 1145814091, changeFlag: 'CREATED', changeSource: 'CRM_UI' });
export const threadCreation = at(14, 'conversation.creation', { objectId: 7301394720 });
export const threadDeletion = at(15, 'conversation.deletion', { objectId: 7301394720 });
export const threadPrivacyDeletion = at(16, 'conversation.privacyDeletion', { objectId: 7301394720 });
export const contactPrivacyDeletion = at(17, 'contact.privacyDeletion', { objectId: 901 });
/** The v1 signature test vector's body (docs/hubspot-contract.md §2.2): `contact.creation`, which we do not subscribe to. */
export const docContactCreation: RawEvent = {
  eventId: 1, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600000, subscriptionType: 'contact.creation',
  attemptNumber: 0, objectId: 123, changeSource: 'CRM', changeFlag: 'NEW', appId: 54321,
};
