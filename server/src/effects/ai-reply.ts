import { createHash } from 'node:crypto';
import { isAiAllowedToReply, type ChatMessage } from '@opencx/shared';
import { AiServiceError, type AiReply } from '../ai';
import { applyAiCommand } from '../ai-control/apply-command';
import { AppError } from '../errors';
import type { AiReplyRecord } from '../store/ai-replies.store';
import { AI_ACTOR } from '../sync/actors';
import { findHumanOwner } from './legacy-owner-check';
import { postReply } from './post-reply';
import { composeReplyText } from './reply-text';
import type { SyncDeps } from '../sync/sync-deps';
import type { AiReplyResult, ReplyJob } from './reply-job';

export type ReplyWithAiDeps = SyncDeps;

export interface ReplyWithAiOptions {
  /** Steers this one reply ("Send to OpenCX AI" with an instruction). */
  instruction?: string | null;
  /**
   * Identifies the request: a repeated call with the same key returns the first outcome and never posts twice.
   * Default: derived from the session, its latest customer message and the instruction, so that two callers
   * asking the same thing (the effects worker and a workflow action) get one reply between them.
   */
  requestKey?: string;
  signal?: AbortSignal;
}

const HISTORY_LIMIT = 50;
/** Longer than the AI service's timeout and retries plus a post: a live request is never taken over. */
export const REPLY_LEASE_MS = 120_000;

/**
 * Asks the AI to answer a session now and carries the answer out: posts it to the HubSpot thread (signature on
 * email threads) and stores it in chat_history, or — when the AI asks for a person — requests the handoff.
 * It checks, at the last moment, that the AI may still reply (an agent may have taken over meanwhile), and on
 * Private App portals asks HubSpot who owns the conversation first. Used by the effects worker for every
 * customer message (`askAiToReply`) and by "Send to OpenCX AI". Do not also enqueue `askAiToReply` for a request
 * you answer with this function (see applyAiCommand's `performedByCaller`).
 *
 * Idempotent per `requestKey`: the AI's text is drafted once and kept, a post that failed in an unknown way is
 * looked for in the thread before posting again. Throws on transient failures (HubSpot or the AI down, another
 * worker holding the same request: AppError `unavailable`); calling again later with the same options is safe.
 */
export async function replyWithAi(deps: ReplyWithAiDeps, sessionId: string, options: ReplyWithAiOptions = {}): Promise<AiReplyResult> {
  const session = await deps.store.sessions.get(sessionId);
  if (!session) throw new AppError('not_found', `Unknown session ${sessionId}`);
  if (session.status === 'deleted') return { kind: 'skipped', reason: 'session_deleted' };
  if (!session.threadId) return { kind: 'skipped', reason: 'no_thread' };
  const history = await deps.store.chatHistory.listRecent(sessionId, HISTORY_LIMIT);
  const trigger = history.findLast((m) => m.role === 'customer') ?? null;
  const instruction = options.instruction?.trim() || null;
  const requestKey = options.requestKey ?? replyKeyOf(sessionId, trigger, instruction);

  const lease = await deps.store.aiReplies.acquire(requestKey, sessionId, deps.clock.now(), REPLY_LEASE_MS);
  if (lease.kind === 'final') return resultOf(lease.record);
  if (lease.kind === 'busy') throw new AppError('unavailable', `Another worker is writing AI reply ${requestKey}; try again shortly`);
  const job: ReplyJob = { deps, session, history, trigger, instruction, requestKey, ...(options.signal ? { signal: options.signal } : {}) };
  try {
    let record = lease.record;
    if (record.status === 'pending') {
      const drafted = await draftReply(job);
      if ('result' in drafted) {
        // Nothing decided for good (the AI is paused, had nothing to say): a later call may ask again.
        if (drafted.result.kind !== 'handoff') await deps.store.aiReplies.release(requestKey, { forget: true });
        return drafted.result;
      }
      record = drafted.record;
    }
    return await postReply(job, record);
  } catch (err) {
    await deps.store.aiReplies.release(requestKey, { forget: false }).catch(() => undefined);
    throw err;
  }
}

export function replyKeyOf(sessionId: string, trigger: ChatMessage | null, instruction: string | null): string {
  const about = trigger ? (trigger.hubspotMessageId ?? trigger.id) : '-';
  const steer = instruction ? createHash('sha256').update(instruction).digest('hex').slice(0, 16) : '-';
  return `reply:${sessionId}:${about}:${steer}`;
}

export function resultOf(record: AiReplyRecord): AiReplyResult {
  if (record.status === 'handoff') return { kind: 'handoff', reason: record.reason ?? '' };
  return { kind: 'answered', text: record.text ?? '', hubspotMessageId: record.hubspotMessageId ?? '' };
}

async function draftReply(job: ReplyJob): Promise<{ record: AiReplyRecord } | { result: AiReplyResult }> {
  const { deps, session, history, trigger, instruction } = job;
  const control = await deps.store.aiControl.load(session.id);
  if (control && !isAiAllowedToReply(control.control)) return { result: { kind: 'skipped', reason: 'ai_not_active' } };
  // Without an instruction the AI answers the customer, once: not again after it (or an agent) already did.
  if (!instruction && history.findLast((m) => m.role !== 'system')?.role !== 'customer') {
    return { result: { kind: 'no_reply', reason: 'the latest message is not from the customer' } };
  }
  const connection = await deps.store.connections.findByPortal(session.portalId);
  if (!connection) throw new AppError('unknown_portal', `HubSpot portal ${session.portalId} is not connected to OpenCX`);
  if (!connection.aiUser) {
    // Nobody to post as: the admin sees why on the settings page rather than a customer left guessing.
    await deps.store.problems.record({
      organizationId: session.organizationId, portalId: session.portalId, kind: 'no_ai_sender', threadId: session.threadId,
      message: 'A customer wrote, but no AI sender is chosen, so the AI did not answer.', at: deps.clock.now(),
    });
    return { result: { kind: 'no_reply', reason: 'no AI sender is chosen' } };
  }
  if (connection.authMode === 'private_app') {
    const owner = await findHumanOwner(deps, session, connection.aiUser?.hubspotUserId ?? null);
    if (owner) {
      await applyAiCommand(deps, session.id, { type: 'ownerAssigned', owner, detectedBy: 'legacy_owner_check' }, deps.clock.now());
      return { result: { kind: 'skipped', reason: 'agent_owns_conversation' } };
    }
  }

  let reply: AiReply;
  const stopTimer = deps.metrics.aiReplySeconds.startTimer();
  try {
    reply = await deps.ai.reply({
      organizationId: session.organizationId,
      sessionId: session.id,
      channel: session.channel,
      history: history.filter((m) => m.erasedAt === null).map((m) => ({ role: m.role, text: m.text, at: m.createdAt })),
      instruction,
      ...(job.signal ? { signal: job.signal } : {}),
    });
    stopTimer();
  } catch (err) {
    // An AI that refuses or answers nonsense will not do better on retry: a person takes over instead.
    if (!(err instanceof AiServiceError) || err.transient) throw err;
    reply = { kind: 'handoff', reason: `The AI could not answer (${err.code}); a person should take over.` };
  }
  switch (reply.kind) {
    case 'no_reply':
      return { result: { kind: 'no_reply', reason: reply.reason } };
    case 'handoff':
      return { result: await handOff(job, reply.reason, { sentiment: reply.sentiment ?? null, language: reply.language ?? null }) };
    case 'answer': {
      const signature = session.channel === 'email' ? await deps.store.signatures.get(session.organizationId) : null;
      const text = composeReplyText(reply.text, session.channel, signature);
      if (text === '') return { result: { kind: 'no_reply', reason: 'the AI returned an empty answer' } };
      await deps.store.aiReplies.update(job.requestKey, { status: 'drafted', text }, deps.clock.now());
      return { record: (await deps.store.aiReplies.get(job.requestKey))! };
    }
    default: {
      const exhaustive: never = reply;
      return exhaustive;
    }
  }
}

/**
 * The AI asked for a person: the handoff is requested with the triggering customer message as its request id,
 * so after an agent resumes the AI, the same message never triggers a second handoff (no loop).
 */
export async function handOff(
  job: ReplyJob,
  reason: string,
  detected: { sentiment: string | null; language: string | null } = { sentiment: null, language: null },
): Promise<AiReplyResult> {
  const { deps, session, trigger } = job;
  const requestId = trigger ? (trigger.hubspotMessageId ?? trigger.id) : job.requestKey;
  const now = deps.clock.now();
  const decision = await deps.store.transaction(async (tx) => {
    const decided = await applyAiCommand({ store: tx }, session.id, { type: 'requestHandoff', by: AI_ACTOR, reason, requestId, ...detected }, now);
    await tx.aiReplies.update(job.requestKey, { status: 'handoff', reason }, now);
    return decided;
  });
  return { kind: 'handoff', reason, outcome: decision.outcome };
}
