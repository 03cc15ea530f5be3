// Delivers webhook events like HubSpot (docs/hubspot-contract.md §2.5): per-portal batches of < 100 events collected
// over a short window, v1 + v3 signed, at most `maxConcurrentRequests` in flight per portal, retried with an
// increasing attemptNumber on network errors, slow responses and any 4xx/5xx. Injections (duplicates,
// reordering, lost first attempts) let tests prove the receiver copes with what HubSpot does not guarantee.
import type { SandboxContext } from './context';
import { sendOutbound, USER_AGENTS } from './http-out';
import { nextId } from './ids';
import { delayFor } from './options';
import type { DeliveryAttempt, WebhookEvent } from './runtime-types';
import { signatureHeaders } from './signing';
import { pushCapped } from './state';

interface Job {
  generation: number;
  batchId: number;
  portalId: number;
  events: WebhookEvent[];
  attempt: number;
}

/** Where a portal's batches go and what signs them: the OAuth app's target by default, a Private App's own. */
export type DeliveryTarget = (portalId: number) => { url: string | undefined; clientSecret: string };

export class WebhookDispatcher {
  private pools = new Map<number, WebhookEvent[]>();
  private queues = new Map<number, Job[]>();
  private inFlight = new Map<number, number>();
  private seed = 0x2545f491;
  /** Bumped by clear(): retries of batches from before a reset are dropped. */
  private generation = 0;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly target: DeliveryTarget = () => ({
      url: ctx.state.webhook.targetOverride ?? ctx.state.webhook.configuredTargetUrl,
      clientSecret: ctx.app.clientSecret,
    }),
  ) {}

  enqueue(portalId: number, events: WebhookEvent[]): void {
    if (events.length === 0) return;
    const pool = this.pools.get(portalId);
    if (pool) {
      pool.push(...events);
      return;
    }
    this.pools.set(portalId, [...events]);
    this.ctx.work.schedule(this.ctx.config.webhook.batchWindowMs, () => this.flush(portalId));
  }

  /** Forgets queued work (reset). In-flight requests finish but are not retried into the new state. */
  clear(): void {
    this.generation += 1;
    this.pools.clear();
    this.queues.clear();
  }

  private flush(portalId: number): void {
    const pool = this.pools.get(portalId) ?? [];
    this.pools.delete(portalId);
    const ordered = this.applyInjections(pool);
    const size = this.ctx.config.webhook.maxBatchSize;
    const queue = this.queues.get(portalId) ?? [];
    for (let i = 0; i < ordered.length; i += size) {
      queue.push({ generation: this.generation, batchId: nextId(this.ctx.state, 'batch'), portalId, events: ordered.slice(i, i + size), attempt: 0 });
    }
    this.queues.set(portalId, queue);
    this.pump(portalId);
  }

  private applyInjections(events: WebhookEvent[]): WebhookEvent[] {
    const { duplicate, order } = this.ctx.state.webhook.injections;
    const copies = Math.max(1, Math.floor(duplicate ?? 1));
    let out = events.flatMap((e) => Array.from({ length: copies }, () => ({ ...e })));
    if (order === 'reverse') out = out.reverse();
    if (order === 'shuffle') {
      for (let i = out.length - 1; i > 0; i--) {
        const j = this.random() % (i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
    }
    return out;
  }

  // xorshift: reproducible shuffles across runs of the same test.
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private pump(portalId: number): void {
    const queue = this.queues.get(portalId) ?? [];
    const limit = Math.max(1, this.ctx.state.webhook.maxConcurrentRequests);
    while (queue.length > 0 && (this.inFlight.get(portalId) ?? 0) < limit) {
      const job = queue.shift()!;
      this.inFlight.set(portalId, (this.inFlight.get(portalId) ?? 0) + 1);
      void this.ctx.work.track(
        this.attempt(job).finally(() => {
          this.inFlight.set(portalId, (this.inFlight.get(portalId) ?? 1) - 1);
          this.pump(portalId);
        }),
      );
    }
  }

  /** Peak number of concurrent requests seen per portal, for tests of the concurrency cap. */
  readonly peakInFlight = new Map<number, number>();

  private async attempt(job: Job): Promise<void> {
    const { ctx } = this;
    const { url, clientSecret } = this.target(job.portalId);
    const events = job.events.map((e) => ({ ...e, attemptNumber: job.attempt }));
    const body = JSON.stringify(events);
    const timestamp = ctx.now();
    const record: DeliveryAttempt = {
      id: nextId(ctx.state, 'delivery'),
      batchId: job.batchId,
      portalId: job.portalId,
      url: url ?? '',
      attemptNumber: job.attempt,
      events,
      body,
      headers: {},
      startedAt: timestamp,
    };
    pushCapped(ctx.state.webhookDeliveries, record);
    if (!url) {
      record.ok = false;
      record.error = 'no webhook target URL (webhooks hsmeta settings.targetUrl or control.setWebhookTarget)';
      ctx.log(`webhook batch ${job.batchId} not delivered: ${record.error}`);
      return;
    }
    record.headers = {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENTS.webhooks,
      'X-HubSpot-Timeout-Millis': String(ctx.config.webhook.timeoutMs),
      ...signatureHeaders({ clientSecret, method: 'POST', url, body, timestamp, legacy: 'v1' }),
    };
    const current = (this.inFlight.get(job.portalId) ?? 0);
    this.peakInFlight.set(job.portalId, Math.max(this.peakInFlight.get(job.portalId) ?? 0, current));

    const result = await sendOutbound({
      url, method: 'POST', headers: record.headers, body, timeoutMs: ctx.config.webhook.timeoutMs, shutdown: ctx.shutdown,
    });
    record.durationMs = Math.round(result.durationMs);
    if (result.ok) {
      record.status = result.status;
      record.ok = result.status >= 200 && result.status < 300;
      if (!record.ok) record.error = `HTTP ${result.status}`;
    } else {
      record.ok = false;
      record.error = `${result.error}: ${result.message}`;
      if (result.error === 'aborted') return;
    }
    if (record.ok && job.attempt === 0 && ctx.state.webhook.injections.dropFirstAttempt) {
      record.ok = false;
      record.error = 'dropped by injection (response ignored)';
    }
    if (record.ok) return;

    if (job.attempt >= ctx.config.webhook.maxAttempts) {
      ctx.log(`webhook batch ${job.batchId} given up after ${job.attempt + 1} attempts (${record.error})`);
      return;
    }
    record.willRetry = true;
    const delay = delayFor(ctx.config.webhook.retryDelaysMs, job.attempt);
    ctx.work.schedule(delay, () => {
      if (job.generation !== this.generation) return;
      const queue = this.queues.get(job.portalId) ?? [];
      queue.push({ ...job, attempt: job.attempt + 1 });
      this.queues.set(job.portalId, queue);
      this.pump(job.portalId);
    });
  }
}
