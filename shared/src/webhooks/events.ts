import { check, describeValue, webhookEnvelopeSchema, type Checked } from './envelope';
import { handlerFor, unsupported } from './handlers';
import type { NormalizedEvent, WebhookBatchError, WebhookBatchResult } from './normalized-event';

/** HubSpot: "Each request can contain up to 100 events" (batches are said to be under 100; we allow 100). */
export const MAX_WEBHOOK_BATCH = 100;

/**
 * One event: the envelope (identity fields, required for every type so the inbox can dedupe), then the
 * handler of its subscription type. Unknown types are accepted as `unsupported`: a subscription added in
 * HubSpot must never make us answer 400, or HubSpot would retry and finally drop the whole batch.
 */
export const parseWebhookEvent = (input: unknown): Checked<NormalizedEvent> => {
  const envelope = check(webhookEnvelopeSchema, input);
  if (!envelope.ok) return envelope;
  const raw = envelope.value;
  const handler = handlerFor(raw.subscriptionType);
  return handler ? handler(input, raw) : unsupported(raw, `subscription type ${raw.subscriptionType} is not handled`);
};

const field = (input: unknown, name: string): unknown =>
  typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)[name]
    : undefined;

/** `event 3 (eventId 42, conversation.newMessage)`: whatever of the identity could be read. */
const labelOf = (index: number, eventId: number | undefined, subscriptionType: string | undefined): string => {
  const known = [eventId === undefined ? null : `eventId ${eventId}`, subscriptionType ?? null].filter((s) => s !== null);
  return known.length > 0 ? `event ${index} (${known.join(', ')})` : `event ${index}`;
};

const bodyError = (message: string): WebhookBatchResult => ({
  ok: false,
  errors: [{ index: null, path: '', message: `body: ${message}` }],
});

/**
 * Parses a webhook POST body (already JSON-parsed) into domain events. Either every event is understood or
 * the result lists every problem, each naming the event (0-based index, eventId, subscriptionType) and the
 * field, so the HTTP layer can answer 400 with it. Order is kept as received; ordering is the worker's job
 * (see `orderingKeyOf` and `compareByOccurrence`), as is dedup (`dedupKeyOf`).
 */
export const parseWebhookBatch = (json: unknown): WebhookBatchResult => {
  if (!Array.isArray(json)) return bodyError(`expected a JSON array of events, received ${describeValue(json)}`);
  if (json.length === 0) return bodyError('expected at least 1 event, received an empty array');
  if (json.length > MAX_WEBHOOK_BATCH) {
    return bodyError(`expected at most ${MAX_WEBHOOK_BATCH} events, received ${json.length}`);
  }
  const events: NormalizedEvent[] = [];
  const errors: WebhookBatchError[] = [];
  json.forEach((input: unknown, index) => {
    const parsed = parseWebhookEvent(input);
    if (parsed.ok) {
      events.push(parsed.value);
      return;
    }
    const rawEventId = field(input, 'eventId');
    const rawType = field(input, 'subscriptionType');
    const eventId = typeof rawEventId === 'number' ? rawEventId : undefined;
    const subscriptionType = typeof rawType === 'string' && rawType !== '' ? rawType : undefined;
    const label = labelOf(index, eventId, subscriptionType);
    for (const issue of parsed.issues) {
      errors.push({
        index,
        ...(eventId === undefined ? {} : { eventId }),
        ...(subscriptionType === undefined ? {} : { subscriptionType }),
        path: issue.path,
        message: issue.path === '' ? `${label}: ${issue.message}` : `${label}: ${issue.path}: ${issue.message}`,
      });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, events };
};
