import { describe, expect, it } from 'vitest';
import { parseWebhookBatch, MAX_WEBHOOK_BATCH } from './events';
import * as f from './fixtures';
import type { NormalizedEvent } from './normalized-event';

const only = (input: f.RawEvent): NormalizedEvent => {
  const result = parseWebhookBatch([input]);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.events[0]!;
};
const errorsOf = (body: unknown) => {
  const result = parseWebhookBatch(body);
  if (result.ok) throw new Error('expected the batch to be rejected');
  return result.errors;
};

describe('parseWebhookBatch: every subscription type (given a HubSpot event, then the domain event)', () => {
  const table: Array<[name: string, given: f.RawEvent, then: Record<string, unknown>]> = [
    ['object.propertyChange owner (0-5)', f.objectOwnerChange,
      { kind: 'ticketOwnerChanged', portalId: 247279312, ticketId: '546500061999', ownerId: '98499705', occurredAt: 1788597072520, sourceUserId: '98499705' }],
    ['ticket.propertyChange owner (legacy)', f.legacyOwnerChange,
      { kind: 'ticketOwnerChanged', portalId: 62515, ticketId: '1145814089', ownerId: '52550153', sourceUserId: '1234' }],
    ['object.propertyChange owner cleared ("")', { ...f.objectOwnerChange, propertyValue: '' }, { kind: 'ticketOwnerChanged', ownerId: null }],
    ['ticket.propertyChange owner cleared (absent)', { ...f.legacyOwnerChange, propertyValue: undefined }, { kind: 'ticketOwnerChanged', ownerId: null }],
    ['owner cleared (null)', { ...f.legacyOwnerChange, propertyValue: null }, { kind: 'ticketOwnerChanged', ownerId: null }],
    ['object.creation ticket', f.objectTicketCreation, { kind: 'ticketCreated', ticketId: '1145814090' }],
    ['object.deletion ticket', f.objectTicketDeletion, { kind: 'ticketDeleted', ticketId: '1145814090' }],
    ['ticket.creation (legacy)', f.legacyTicketCreation, { kind: 'ticketCreated', ticketId: '1145814091' }],
    ['ticket.deletion (legacy)', f.legacyTicketDeletion, { kind: 'ticketDeleted', ticketId: '1145814089', occurredAt: 1714000002000 }],
    ['conversation.creation', f.threadCreation, { kind: 'threadCreated', threadId: '7301394720' }],
    ['conversation.deletion', f.threadDeletion, { kind: 'threadDeleted', threadId: '7301394720' }],
    ['conversation.privacyDeletion', f.threadPrivacyDeletion, { kind: 'threadPrivacyDeleted', threadId: '7301394720' }],
    ['conversation.propertyChange assignedTo', f.assigneeChange,
      { kind: 'threadAssigneeChanged', threadId: '7301394719', actorId: 'A-52550153', userId: '52550153' }],
    ['assignedTo unassigned ("")', { ...f.assigneeChange, propertyValue: '' }, { kind: 'threadAssigneeChanged', actorId: null, userId: null }],
    ['assignedTo unassigned (absent)', { ...f.assigneeChange, propertyValue: undefined }, { kind: 'threadAssigneeChanged', actorId: null, userId: null }],
    ['assignedTo a non-agent actor', { ...f.assigneeChange, propertyValue: 'I-77' }, { kind: 'threadAssigneeChanged', actorId: 'I-77', userId: null }],
    ['conversation.newMessage MESSAGE', f.newMessage,
      { kind: 'threadNewMessage', threadId: '7301394719', messageId: 'b4e7f0c6a1d34c8e9f2f4d5c6b7a8e9f', messageType: 'MESSAGE' }],
    ['conversation.newMessage of a type we do not know', { ...f.newMessage, messageType: 'WELCOME_MESSAGE' },
      { kind: 'unsupported', subscriptionType: 'conversation.newMessage' }],
    ['conversation.newMessage COMMENT', { ...f.newMessage, messageType: 'COMMENT' }, { kind: 'threadNewMessage', messageType: 'COMMENT' }],
    ['contact.privacyDeletion', f.contactPrivacyDeletion, { kind: 'contactPrivacyDeleted', contactId: '901' }],
    // Accepted and ignored: a new subscription must never break intake.
    ['unknown type (doc v1 vector)', f.docContactCreation, { kind: 'unsupported', subscriptionType: 'contact.creation' }],
    ['object.propertyChange of a contact (real capture)', f.capturedContactEmailChange,
      { kind: 'unsupported', reason: 'object type 0-1 is not handled' }],
    ['object.creation of a contact', { ...f.objectTicketCreation, objectTypeId: '0-1' }, { kind: 'unsupported' }],
    ['ticket property other than owner', { ...f.legacyOwnerChange, propertyName: 'subject' }, { kind: 'unsupported', reason: 'property subject is not handled' }],
    ['ticket property change (object.*) other than owner', { ...f.objectOwnerChange, propertyName: 'hs_pipeline_stage' }, { kind: 'unsupported' }],
    ['conversation status change', { ...f.assigneeChange, propertyName: 'status', propertyValue: 'CLOSED' }, { kind: 'unsupported' }],
    ['subscriptionType named like a prototype key', { ...f.docContactCreation, subscriptionType: 'constructor' }, { kind: 'unsupported' }],
    ['unknown type without objectId', { ...f.docContactCreation, subscriptionType: 'app.somethingNew', objectId: undefined }, { kind: 'unsupported' }],
  ];

  it.each(table)('%s', (_name, given, then) => {
    expect(only(given)).toMatchObject(then);
  });

  it('keeps the identity fields on raw, and drops unknown extra fields', () => {
    const event = only({ ...f.newMessage, attemptNumber: 2, someFieldHubSpotAddsLater: { nested: true } });
    expect(event.raw).toEqual({
      eventId: 3816279342, subscriptionId: 27, portalId: 62515, appId: 1160452, occurredAt: 1714000001000,
      subscriptionType: 'conversation.newMessage', attemptNumber: 2, objectId: 7301394719, objectTypeId: null,
      propertyName: null, propertyValue: null, messageId: 'b4e7f0c6a1d34c8e9f2f4d5c6b7a8e9f', changeSource: null, sourceId: null,
    });
    expect(JSON.stringify(event)).not.toContain('someFieldHubSpotAddsLater');
  });

  it('parses the reference example batch in order', () => {
    const result = parseWebhookBatch([f.legacyOwnerChange, f.assigneeChange, f.newMessage, f.legacyTicketDeletion]);
    expect(result.ok && result.events.map((e) => e.kind)).toEqual([
      'ticketOwnerChanged', 'threadAssigneeChanged', 'threadNewMessage', 'ticketDeleted',
    ]);
  });

  it('does not trip on fields we only log having an unexpected type', () => {
    expect(only({ ...f.legacyOwnerChange, changeSource: 7, sourceId: { user: 1 }, isSensitive: 'no' })).toMatchObject({
      kind: 'ticketOwnerChanged', raw: { changeSource: '7', sourceId: null },
    });
    expect(only({ ...f.legacyOwnerChange, sourceId: 'integration:99' })).not.toHaveProperty('sourceUserId');
  });
});

describe('parseWebhookBatch: rejections name the event and the field', () => {
  const table: Array<[name: string, given: f.RawEvent, path: string, message: string]> = [
    ['newMessage without messageId', { ...f.newMessage, messageId: undefined }, 'messageId',
      'event 0 (eventId 3816279342, conversation.newMessage): messageId: expected string (missing)'],
    ['newMessage with a numeric messageId', { ...f.newMessage, messageId: 42 }, 'messageId',
      'event 0 (eventId 3816279342, conversation.newMessage): messageId: expected string, received number'],
    ['newMessage without a messageType', { ...f.newMessage, messageType: undefined }, 'messageType',
      'event 0 (eventId 3816279342, conversation.newMessage): messageType: expected string (missing)'],
    ['owner change with a numeric propertyValue', { ...f.legacyOwnerChange, propertyValue: 52550153 }, 'propertyValue',
      'event 0 (eventId 3816279340, ticket.propertyChange): propertyValue: expected string, received number'],
    ['object.* without objectTypeId', { ...f.objectTicketCreation, objectTypeId: undefined }, 'objectTypeId',
      'event 0 (eventId 11, object.creation): objectTypeId: expected string (missing)'],
    ['ticket owner change without propertyName', { ...f.objectOwnerChange, propertyName: undefined }, 'propertyName',
      'event 0 (eventId 1765889351, object.propertyChange): propertyName: expected string (missing)'],
    ['known type with objectId as a string', { ...f.threadCreation, objectId: '7301394720' }, 'objectId',
      'event 0 (eventId 14, conversation.creation): objectId: expected number, received string'],
    ['missing eventId (any type)', { ...f.docContactCreation, eventId: undefined }, 'eventId',
      'event 0 (contact.creation): eventId: expected number (missing)'],
    ['occurredAt as an ISO string', { ...f.threadCreation, occurredAt: '2024-04-25T00:00:00Z' }, 'occurredAt',
      'event 0 (eventId 14, conversation.creation): occurredAt: expected number, received string'],
    ['missing subscriptionType', { ...f.threadCreation, subscriptionType: undefined }, 'subscriptionType',
      'event 0 (eventId 14): subscriptionType: expected string (missing)'],
  ];

  it.each(table)('%s', (_name, given, path, message) => {
    expect(errorsOf([given])).toContainEqual(expect.objectContaining({ index: 0, path, message }));
  });

  it('rejects the whole batch when one event in the middle is malformed, naming only that one', () => {
    const batch = [f.legacyOwnerChange, f.assigneeChange, f.threadCreation, { ...f.newMessage, eventId: 42, messageId: null }, f.contactPrivacyDeletion];
    expect(errorsOf(batch)).toEqual([{
      index: 3, eventId: 42, subscriptionType: 'conversation.newMessage', path: 'messageId',
      message: 'event 3 (eventId 42, conversation.newMessage): messageId: expected string, received null',
    }]);
  });

  it('reports every bad event of a batch', () => {
    const errors = errorsOf([{ ...f.newMessage, messageId: 1 }, f.threadCreation, 'not an event']);
    expect(errors.map((e) => [e.index, e.path, e.message])).toEqual([
      [0, 'messageId', 'event 0 (eventId 3816279342, conversation.newMessage): messageId: expected string, received number'],
      [2, '', 'event 2: expected object, received string'],
    ]);
  });

  it.each([
    ['an object', { events: [] }, 'body: expected a JSON array of events, received object'],
    ['null', null, 'body: expected a JSON array of events, received null'],
    ['a string', '[]', 'body: expected a JSON array of events, received string'],
    ['an empty array', [], 'body: expected at least 1 event, received an empty array'],
    ['101 events', Array.from({ length: 101 }, (_, i) => ({ ...f.threadCreation, eventId: i })), 'body: expected at most 100 events, received 101'],
  ])('rejects a body that is %s', (_name, body, message) => {
    expect(errorsOf(body)).toEqual([{ index: null, path: '', message }]);
  });

  it(`accepts exactly ${MAX_WEBHOOK_BATCH} events`, () => {
    const result = parseWebhookBatch(Array.from({ length: MAX_WEBHOOK_BATCH }, (_, i) => ({ ...f.threadCreation, eventId: i })));
    expect(result.ok && result.events).toHaveLength(MAX_WEBHOOK_BATCH);
  });
});
