import { describe, expect, it } from 'vitest';
import { parseWebhookBatch } from './events';
import * as f from './fixtures';
import { compareByOccurrence, dedupKeyOf, orderingKeyOf } from './keys';
import type { NormalizedEvent } from './normalized-event';

const parse = (...events: f.RawEvent[]): NormalizedEvent[] => {
  const result = parseWebhookBatch(events);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.events;
};
const keyOf = (event: f.RawEvent) => dedupKeyOf(parse(event)[0]!);

describe('dedupKeyOf', () => {
  it('is the same for retries of one event (attemptNumber differs)', () => {
    expect(keyOf({ ...f.newMessage, attemptNumber: 0 })).toBe(keyOf({ ...f.newMessage, attemptNumber: 3 }));
  });

  it('ignores unknown extra fields', () => {
    expect(keyOf({ ...f.newMessage, somethingNew: 1 })).toBe(keyOf(f.newMessage));
  });

  it('is readable and stable', () => {
    expect(keyOf(f.legacyOwnerChange)).toBe('hs:62515:25:3816279340:1714000000000:1145814089:=hubspot_owner_id:=52550153:');
  });

  // eventId alone is not unique (docs/hubspot-contract.md §2.5): every identifying field takes part.
  it.each<[string, f.RawEvent]>([
    ['eventId', { eventId: 3816279399 }],
    ['portalId', { portalId: 99 }],
    ['subscriptionId', { subscriptionId: 99 }],
    ['occurredAt', { occurredAt: 1714000009999 }],
    ['objectId', { objectId: 1 }],
    ['propertyValue', { propertyValue: '1' }],
    ['propertyValue "" vs absent', { propertyValue: undefined }],
  ])('differs when %s differs', (_field, change) => {
    const base = { ...f.legacyOwnerChange, propertyValue: '' };
    expect(keyOf({ ...base, ...change })).not.toBe(keyOf(base));
  });

  it('differs by messageId', () => {
    expect(keyOf({ ...f.newMessage, messageId: 'other' })).not.toBe(keyOf(f.newMessage));
  });

  it('cannot be confused by separators inside values', () => {
    const a = keyOf({ ...f.legacyOwnerChange, propertyName: 'a:', propertyValue: 'b' });
    const b = keyOf({ ...f.legacyOwnerChange, propertyName: 'a', propertyValue: ':b' });
    expect(a).not.toBe(b);
  });
});

describe('orderingKeyOf', () => {
  it.each<[string, f.RawEvent, string]>([
    ['object.* ticket owner', f.objectOwnerChange, 'ticket:247279312:546500061999'],
    ['legacy ticket owner', f.legacyOwnerChange, 'ticket:62515:1145814089'],
    ['ticket creation', f.objectTicketCreation, 'ticket:62515:1145814090'],
    ['ticket deletion', f.legacyTicketDeletion, 'ticket:62515:1145814089'],
    ['thread message', f.newMessage, 'thread:62515:7301394719'],
    ['thread assignee', f.assigneeChange, 'thread:62515:7301394719'],
    ['thread privacy deletion', f.threadPrivacyDeletion, 'thread:62515:7301394720'],
    ['contact privacy deletion', f.contactPrivacyDeletion, 'contact:62515:901'],
    ['unsupported ticket event', { ...f.objectOwnerChange, propertyName: 'subject' }, 'ticket:247279312:546500061999'],
    ['unsupported conversation event', { ...f.assigneeChange, propertyName: 'status' }, 'thread:62515:7301394719'],
    ['unsupported contact event', f.capturedContactEmailChange, 'contact:247279312:546500061938'],
    ['unsupported other object', { ...f.objectTicketCreation, objectTypeId: '0-3' }, 'other:0-3:62515:1145814090'],
  ])('%s', (_name, given, key) => {
    expect(orderingKeyOf(parse(given)[0]!)).toBe(key);
  });

  it('puts every event of one conversation in one lane, sorted by occurredAt', () => {
    const events = parse(f.newMessage, f.threadCreation, f.assigneeChange, { ...f.newMessage, eventId: 1, occurredAt: 1714000000100 });
    const lane = events.filter((e) => orderingKeyOf(e) === 'thread:62515:7301394719').sort(compareByOccurrence);
    expect(lane.map((e) => e.raw.occurredAt)).toEqual([1714000000100, 1714000000500, 1714000001000]);
  });
});
