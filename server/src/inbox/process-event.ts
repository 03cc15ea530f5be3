import { parseWebhookEvent, type NormalizedEvent } from '@opencx/shared';
import type { RetryPolicy } from '../store/retry-policy';
import { nextAttemptAt } from '../store/retry-policy';
import type { ClaimedInboxEvent } from '../store/webhook-inbox.store';
import type { EventContext, EventHandler, HandlerOutcome } from './event-context';
import { classifyFailure, PermanentFailure } from '../failure';
import { eventHandlers, OWNERSHIP_KINDS } from './handlers';
import type { SyncDeps } from '../sync/sync-deps';

/** Transient failures retry from 1 s, doubling to 5 min: 12 attempts span about half an hour, then dead. */
export const INBOX_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 1_000, maxDelayMs: 300_000 };

export type ProcessResult = 'done' | 'ignored' | 'retrying' | 'dead' | 'lost';

/** Thrown inside the commit when the claim was taken over (expired lease): the handler's writes roll back. */
class ClaimLost extends Error {}

/**
 * Processes one claimed inbox event: parse the stored payload, find the portal's organization, run the kind's
 * handler, then commit its writes and the row's completion together. Never throws: failures become a retry
 * with backoff or, when permanent or out of attempts, a dead row with the last error.
 */
export async function processInboxEvent(
  deps: SyncDeps,
  claim: ClaimedInboxEvent,
  policy: RetryPolicy = INBOX_RETRY_POLICY,
): Promise<ProcessResult> {
  const log = deps.logger.child({ inboxId: claim.id, lane: claim.orderingKey, kind: claim.eventKind });
  try {
    const outcome = await runHandler(deps, claim);
    const committed = await deps.store.transaction(async (tx) => {
      await outcome.write?.(tx);
      if (!(await tx.inbox.complete(claim.id, claim.attempts, outcome, deps.clock.now()))) throw new ClaimLost();
      return true;
    });
    if (committed && outcome.write) deps.signals.wake('effects');
    await outcome.afterCommit?.();
    log.debug({ status: outcome.status, note: outcome.note }, 'webhook event processed');
    return outcome.status;
  } catch (err) {
    if (err instanceof ClaimLost) {
      log.warn('lease lost while processing a webhook event; another worker has it');
      return 'lost';
    }
    return recordFailure(deps, claim, err, policy, log);
  }
}

async function runHandler(deps: SyncDeps, claim: ClaimedInboxEvent): Promise<HandlerOutcome> {
  const parsed = parseWebhookEvent(claim.payload);
  if (!parsed.ok) {
    // Stored events passed this parser at intake; only a parser change can get here, and retrying won't help.
    throw new PermanentFailure(`stored event no longer parses: ${parsed.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }
  const event = parsed.value;
  if (event.kind === 'unsupported') return { status: 'ignored', note: event.reason };
  const connection = await deps.store.connections.findByPortal(event.portalId);
  if (!connection || connection.status === 'disconnected') {
    // The organization that disconnected the portal sees that HubSpot still sends its events (a subscription
    // or an install left behind in HubSpot).
    if (connection) {
      await deps.store.problems.record({
        organizationId: connection.organizationId, portalId: event.portalId, kind: 'webhook_without_connection', threadId: null,
        message: `HubSpot still sends events of portal ${event.portalId} (${event.kind}), which is disconnected.`, at: deps.clock.now(),
      });
    }
    return { status: 'ignored', note: `portal ${event.portalId} is not connected` };
  }
  const organization = await deps.store.organizations.get(connection.organizationId);
  if (!organization) return { status: 'ignored', note: `organization ${connection.organizationId} does not exist` };
  if (OWNERSHIP_KINDS.includes(event.kind) && (await deps.store.inbox.isSuperseded(claim))) {
    return { status: 'ignored', note: 'superseded: a later change of the same owner was already applied' };
  }
  const ctx: EventContext = {
    deps,
    portalId: event.portalId,
    organizationId: organization.id,
    now: deps.clock.now(),
    event,
    claim,
    connection,
    organization,
  };
  const handler = eventHandlers[event.kind] as EventHandler<NormalizedEvent>;
  return handler(ctx);
}

async function recordFailure(
  deps: SyncDeps,
  claim: ClaimedInboxEvent,
  err: unknown,
  policy: RetryPolicy,
  log: SyncDeps['logger'],
): Promise<ProcessResult> {
  const failure = classifyFailure(err);
  const now = deps.clock.now();
  const backoff = !failure.transient ? null : nextAttemptAt(claim.attempts, now, policy);
  const retryAt = backoff === null ? null : Math.max(backoff, now + (failure.retryAfterMs ?? 0));
  try {
    const recorded = await deps.store.inbox.fail(claim.id, claim.attempts, failure.message, retryAt, now);
    if (!recorded) return 'lost';
  } catch (recordErr) {
    // The database itself failed (closing at shutdown?): the lease will expire and another attempt will run.
    log.error({ err: recordErr }, 'could not record a webhook event failure');
    return 'lost';
  }
  if (retryAt === null) {
    log.error({ err, attempts: claim.attempts }, 'webhook event dead-lettered');
    return 'dead';
  }
  if (failure.deferred) log.info({ reason: failure.message, attempts: claim.attempts, retryAt }, 'webhook event deferred');
  else log.warn({ err, attempts: claim.attempts, retryAt }, 'webhook event failed; will retry');
  return 'retrying';
}
