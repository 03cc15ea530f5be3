import { dedupKeyOf, orderingKeyOf, parseWebhookBatch, type NormalizedEvent } from '@opencx/shared';
import { AppError } from '../errors';
import { parseJsonText } from '../http/parse-body';
import type { NewInboxEvent } from '../store/webhook-inbox.store';
import { isTakeover } from './handlers';
import { applyTakeoversNow } from './takeover';
import type { AppDeps } from '../deps';

export interface IntakeResult {
  received: number;
  /** New events (a redelivery stores nothing). */
  stored: number;
  /** Agents taking over (see isTakeover): the route applies them before answering. */
  takeovers: NewInboxEvent[];
}

/** How many field problems a 400 lists; the rest are counted. */
const SHOWN_PROBLEMS = 5;

export const toInboxRow = (event: NormalizedEvent, input: unknown): NewInboxEvent => ({
  dedupKey: dedupKeyOf(event),
  portalId: event.portalId,
  subscriptionType: event.raw.subscriptionType,
  objectId: event.raw.objectId === null ? null : String(event.raw.objectId),
  orderingKey: orderingKeyOf(event),
  occurredAt: event.occurredAt,
  eventId: event.raw.eventId,
  eventKind: event.kind,
  payload: JSON.stringify(input),
});

/**
 * The intake of one signed webhook POST: parse the batch (a malformed one is refused whole with a 400 naming each
 * event and field) and store it in the inbox with one statement, deduplicated, committed together with the
 * batches of concurrent requests (see createInboxWriter). Nothing else happens here: the inbox worker acts on the
 * events, so HubSpot gets its 200 in milliseconds.
 */
export async function acceptWebhookBatch(deps: Pick<AppDeps, 'inboxWriter'>, rawBody: string): Promise<IntakeResult> {
  const json = parseJsonText(rawBody);
  const parsed = parseWebhookBatch(json);
  if (!parsed.ok) {
    const shown = parsed.errors.slice(0, SHOWN_PROBLEMS).map((e) => e.message);
    const more = parsed.errors.length - shown.length;
    throw new AppError('validation_failed', shown.join('; ') + (more > 0 ? `; and ${more} more` : ''));
  }
  const inputs = json as unknown[];
  const rows = parsed.events.map((event, index) => toInboxRow(event, inputs[index]));
  const stored = await deps.inboxWriter.write(rows);
  return {
    received: rows.length,
    stored,
    takeovers: rows.filter((_, index) => isTakeover(parsed.events[index]!)),
  };
}

/**
 * What POST /hubspot/webhooks does with a verified body, whichever server received it (routes/webhooks.ts in
 * Hono, http/webhook-listener.ts on Node directly): stores the batch, counts it, wakes the inbox worker, and
 * applies an agent's takeover before answering (see applyTakeoversNow), so the AI is paused by the time HubSpot's
 * delivery completes.
 */
export async function receiveWebhookBatch(deps: AppDeps, rawBody: string): Promise<{ received: number; stored: number }> {
  const result = await acceptWebhookBatch(deps, rawBody);
  deps.metrics.webhookEventsReceived.inc(result.received);
  deps.metrics.webhookEventsStored.inc(result.stored);
  if (result.stored > 0) deps.signals.wake('inbox');
  await applyTakeoversNow(deps, result.takeovers);
  return { received: result.received, stored: result.stored };
}
