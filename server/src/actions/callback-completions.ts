import { SEND_TO_AI_BLOCK_MS } from './action-answers';
import { runSendToAi, type RunAiForSession } from './send-to-ai-completion';
import { replyWithAiRunner } from './send-to-ai-runner';
import { AiServiceError } from '../ai';
import { AppError } from '../errors';
import { classifyFailure } from '../failure';
import { HubSpotApiError } from '../hubspot';
import type { ActionExecution, OutputFields, SendToAiWork } from '../store/action-executions.store';
import type { WorkerDeps } from '../deps';
import { startPollLoop, type PollLoop } from '../work/poll-loop';

export interface CallbackCompletionOptions {
  /** Default: the sync shell's replyWithAi. */
  runAi?: RunAiForSession;
  /** How often to look for due work. Default 1 s. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a worker holds a row: longer than an AI reply plus a completion call. Default 5 min. */
  leaseMs?: number;
  /** Backoff between attempts: base doubling up to max. Defaults 2 s and 5 min. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Tries of the AI before the execution is completed without a reply. Default 8 (about 4 minutes). */
  maxAiAttempts?: number;
}

type Resolved = Required<CallbackCompletionOptions>;

const resolve = (deps: WorkerDeps, options: CallbackCompletionOptions): Resolved => ({
  pollIntervalMs: 1_000,
  batchSize: 10,
  leaseMs: 5 * 60_000,
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
  maxAiAttempts: 8,
  ...options,
  runAi: options.runAi ?? replyWithAiRunner(deps),
});

/**
 * Finishes BLOCKed workflow actions (Send to OpenCX AI): runs the AI, then completes the callback through
 * HubSpot's callback API, retrying with backoff until HubSpot answers 204. Everything it needs is in
 * action_executions, so a restart (or another process, once a lease lapses) carries on where it stopped.
 * It stops at a 404 (HubSpot no longer knows the callback) or when the block we asked for has expired.
 */
export function startCallbackCompletions(deps: WorkerDeps, options: CallbackCompletionOptions = {}): PollLoop {
  const resolved = resolve(deps, options);
  const loop = startPollLoop(deps, 'callback-completions', resolved.pollIntervalMs, () => processDueCompletions(deps, resolved));
  const unsubscribe = deps.signals.on('callbackCompletions', () => loop.wake());
  deps.lifecycle.signal.addEventListener('abort', unsubscribe, { once: true });
  return loop;
}

export async function processDueCompletions(deps: WorkerDeps, options: CallbackCompletionOptions = {}): Promise<{ more: boolean }> {
  const resolved = resolve(deps, options);
  const claimed = await deps.store.actionExecutions.claimDue({
    now: deps.clock.now(),
    limit: resolved.batchSize,
    leaseMs: resolved.leaseMs,
  });
  // In parallel: one slow AI reply must not hold up the completions behind it.
  await Promise.all(
    claimed.map((execution) =>
      processOne(deps, resolved, execution).catch((err: unknown) =>
        deps.logger.error({ err, callbackId: execution.callbackId }, 'could not process a blocked workflow action'),
      ),
    ),
  );
  return { more: claimed.length === resolved.batchSize };
}

async function processOne(deps: WorkerDeps, options: Resolved, claimed: ActionExecution): Promise<void> {
  let execution = claimed;
  const executions = deps.store.actionExecutions;
  const { callbackId } = execution;
  const expiresAt = execution.work?.expiresAt ?? execution.createdAt + SEND_TO_AI_BLOCK_MS;
  if (deps.clock.now() >= expiresAt) {
    await executions.markGivenUp(callbackId, 'completion_expired', 'the block expired before HubSpot accepted a completion', deps.clock.now());
    return;
  }

  let completion = execution.completion;
  if (execution.status === 'awaiting_ai') {
    if (!execution.work) {
      await executions.markGivenUp(callbackId, 'completion_failed', 'no background work was recorded', deps.clock.now());
      return;
    }
    completion = await runAi(deps, options, execution, execution.work);
    if (!completion) return; // retry scheduled
    await executions.setCompletion(callbackId, completion, deps.clock.now());
    execution = { ...execution, status: 'completing', completion, attempts: 1 };
  }
  if (!completion) {
    await executions.markGivenUp(callbackId, 'completion_failed', 'no completion was recorded', deps.clock.now());
    return;
  }
  await sendCompletion(deps, options, execution, completion);
}

/** The completion's output fields, or null when the AI failed and will be tried again later. */
async function runAi(deps: WorkerDeps, options: Resolved, execution: ActionExecution, work: SendToAiWork): Promise<OutputFields | null> {
  const steps = {
    store: deps.store,
    runAi: options.runAi,
    saveProgress: (progress: SendToAiWork) => deps.store.actionExecutions.updateWork(execution.callbackId, progress, deps.clock.now()),
  };
  try {
    return await runSendToAi(steps, work);
  } catch (err) {
    const failure = classifyFailure(err);
    const permanent = failure.kind === 'ai' && !failure.transient;
    if (!permanent && execution.attempts < options.maxAiAttempts) {
      await retryLater(deps, options, execution, `AI reply failed: ${describe(err)}`);
      return null;
    }
    // The workflow must not wait a day for an AI that keeps failing: report the status without a reply.
    deps.logger.warn({ err, callbackId: execution.callbackId }, 'Send to OpenCX AI: giving up on the AI reply');
    const latest = (await deps.store.actionExecutions.get(execution.callbackId))?.work ?? work;
    return runSendToAi({ ...steps, runAi: async () => ({ reply: null }) }, latest);
  }
}

async function sendCompletion(deps: WorkerDeps, options: Resolved, execution: ActionExecution, completion: OutputFields) {
  const executions = deps.store.actionExecutions;
  try {
    await deps.hubspot.completeCallback(execution.portalId, execution.callbackId, completion);
    await executions.markCompleted(execution.callbackId, deps.clock.now());
  } catch (err) {
    const failure = classifyFailure(err).kind;
    if (failure === 'hubspot_not_found') {
      // UNVERIFIED: HubSpot answers 404 for an unknown, expired or already completed callback (docs/hubspot-contract.md §3.3).
      await executions.markGivenUp(execution.callbackId, 'completion_expired', describe(err), deps.clock.now());
    } else if (failure === 'hubspot_rejected') {
      await executions.markGivenUp(execution.callbackId, 'completion_failed', describe(err), deps.clock.now());
    } else {
      // 5xx, 429, network, and a lost grant (an admin can reconnect): keep trying until the block expires.
      await retryLater(deps, options, execution, describe(err));
    }
  }
}

async function retryLater(deps: WorkerDeps, options: Resolved, execution: ActionExecution, error: string) {
  const attempt = Math.max(1, execution.attempts);
  const delay = Math.min(options.retryBaseMs * 2 ** (attempt - 1), options.retryMaxMs);
  const now = deps.clock.now();
  await deps.store.actionExecutions.scheduleRetry(execution.callbackId, error, now + delay, now);
}

/** Messages of our own error types are safe to store (the gateway redacts tokens); others only by name. */
function describe(err: unknown): string {
  if (err instanceof HubSpotApiError || err instanceof AppError || err instanceof AiServiceError) return err.message;
  return err instanceof Error ? err.name : 'unknown error';
}
