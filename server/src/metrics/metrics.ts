import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Store } from '../store/store';

/**
 * The server's Prometheus metrics, in a registry of its own (never prom-client's global one: two servers in one
 * process, as in tests, must not count into each other). Built once in createServices and served by
 * routes/metrics.ts. Queue depths are read from the database at scrape time, so they hold for every instance.
 */
export interface Metrics {
  registry: Registry;
  /** The text a scrape gets: queue figures read from the database, then every instrument. */
  render(): Promise<string>;
  webhookEventsReceived: Counter;
  webhookEventsStored: Counter;
  /** Webhook deliveries answered with an error, by error code (`invalid_signature`, `validation_failed`…). */
  webhookRequestsRefused: Counter<'reason'>;
  /** Every request sent to HubSpot, by operation and HTTP status (`timeout`/`network` when none came back). */
  hubspotCalls: Counter<'operation' | 'status'>;
  /** `ok`, `failed` (HubSpot or the network), `invalid_grant` (the install is gone). */
  tokenRefreshes: Counter<'outcome'>;
  /** From the AI being asked to the reply drafted. */
  aiReplySeconds: Histogram;
  /** From HubSpot's occurredAt of an agent's takeover to the AI paused. */
  takeoverSeconds: Histogram;
}

export function createMetrics(deps: { store: Pick<Store, 'operations'>; clock: Clock }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ['queue'] as const, registers });
  const depth = gauge('opencx_queue_depth', 'Unfinished items (pending or processing) in the webhook inbox and the effects outbox');
  const oldest = gauge('opencx_queue_oldest_age_seconds', 'Age of the oldest unfinished item of the queue (0 when empty)');
  const dead = gauge('opencx_dead_letters', 'Items that failed for good and wait for an admin (retry or discard)');
  // Read once per scrape, before the registry renders (its collect hooks would each ask the database).
  const readQueues = async () => {
    const figures = await deps.store.operations.queueFigures();
    for (const queue of ['inbox', 'outbox'] as const) {
      const f = figures[queue];
      depth.set({ queue }, f.unfinished);
      oldest.set({ queue }, f.oldestUnfinishedAt === null ? 0 : Math.max(0, (deps.clock.now() - f.oldestUnfinishedAt) / 1000));
      dead.set({ queue }, f.dead);
    }
  };

  const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
  return {
    registry,
    render: async () => {
      await readQueues();
      return registry.metrics();
    },
    webhookEventsReceived: new Counter({ name: 'opencx_webhook_events_received_total', help: 'Webhook events in signed, well-formed deliveries', registers }),
    webhookEventsStored: new Counter({ name: 'opencx_webhook_events_stored_total', help: 'Webhook events stored in the inbox (redeliveries excluded)', registers }),
    webhookRequestsRefused: new Counter({ name: 'opencx_webhook_requests_refused_total', help: 'Webhook deliveries answered with an error, by reason', labelNames: ['reason'] as const, registers }),
    hubspotCalls: new Counter({ name: 'opencx_hubspot_calls_total', help: 'Requests sent to HubSpot, by operation and status', labelNames: ['operation', 'status'] as const, registers }),
    tokenRefreshes: new Counter({ name: 'opencx_token_refreshes_total', help: 'OAuth access token refreshes, by outcome', labelNames: ['outcome'] as const, registers }),
    aiReplySeconds: new Histogram({ name: 'opencx_ai_reply_seconds', help: 'Time the AI took to draft a reply', buckets: latencyBuckets, registers }),
    takeoverSeconds: new Histogram({ name: 'opencx_takeover_seconds', help: "From an agent's takeover in HubSpot to the AI paused", buckets: latencyBuckets, registers }),
  };
}

