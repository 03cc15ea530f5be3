import { afterEach, expect, it } from 'vitest';
import type { NewInboxEvent } from '../store/webhook-inbox.store';
import { createTestDeps, type TestDeps } from '../../testing/test-deps';
import { createInboxWriter } from './inbox-writer';

let deps: TestDeps;
afterEach(async () => deps.cleanup());

const row = (eventId: number, payload = JSON.stringify({ eventId })): NewInboxEvent => ({
  dedupKey: `test:${eventId}`,
  portalId: 62515,
  subscriptionType: 'conversation.creation',
  objectId: String(eventId),
  orderingKey: `thread:${eventId}`,
  occurredAt: 1_700_000_000_000 + eventId,
  eventId,
  eventKind: 'conversationCreated',
  payload,
});

it('fails only the batch that cannot be stored, and commits the batches grouped with it', async () => {
  deps = createTestDeps();
  const writer = createInboxWriter(deps);
  // Written in one turn of the event loop, so they share one commit; the payload of the third breaks the
  // table's json_valid CHECK, as a 1,001-deep body once did.
  const results = await Promise.allSettled([
    writer.write([row(1), row(2)]),
    writer.write([row(3)]),
    writer.write([row(4), row(5, '{"not": json')]),
    writer.write([row(6)]),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([2, 1, null, 1]);
  const stored = (await deps.store.inbox.list()).map((r) => r.dedupKey).sort();
  expect(stored).toEqual(['test:1', 'test:2', 'test:3', 'test:6']);
});
