import { isAiAllowedToReply } from '@opencx/shared';
import { AppError } from '../errors';
import { HubSpotApiError, type ConversationMessage } from '../hubspot';
import type { AiReplyRecord } from '../store/ai-replies.store';
import type { AiReplyResult, ReplyJob } from './reply-job';
import { newId } from '../sync/ids';
import { classifyMessage } from '../sync/message-author';
import { findReplyTarget, senderActorOf } from './reply-target';
import { toRichText } from './reply-text';

const MAX_PAGES = 5;
/** HubSpot's and our clocks may disagree a little; a reply we posted is not older than its attempt by more. */
const CLOCK_SKEW_MS = 60_000;

const timeOf = (message: ConversationMessage, fallback: number): number => {
  const at = message.createdAt ? Date.parse(message.createdAt) : Number.NaN;
  return Number.isFinite(at) ? at : fallback;
};

/**
 * Posts a drafted reply once. A post that failed in a way that leaves it unknown whether HubSpot created the
 * message (timeout, 5xx, a crash before we recorded it) leaves the request `sending`; the next attempt first
 * looks for our message in the thread and adopts it instead of posting again.
 */
export async function postReply(job: ReplyJob, record: AiReplyRecord): Promise<AiReplyResult> {
  const { deps, session } = job;
  const text = record.text!;
  if (record.status === 'sending') {
    const posted = await findPostedReply(job, record);
    if (posted) return finish(job, text, posted);
  }
  const connection = await deps.store.connections.findByPortal(session.portalId);
  if (!connection) throw new AppError('unknown_portal', `HubSpot portal ${session.portalId} is not connected to OpenCX`);
  const sender = senderActorOf(connection);
  if (!sender) return drop(job, { kind: 'no_reply', reason: 'no AI sender is chosen' });
  const target = await findReplyTarget(deps, session, job.trigger, sender);
  if (!target) return drop(job, { kind: 'no_reply', reason: 'the thread has no customer message to reply to' });

  // An agent may have taken over while the AI was thinking (or HubSpot was slow): the draft is dropped, unposted.
  // Checked as late as possible, right before the post.
  const control = await deps.store.aiControl.load(session.id);
  if (control && !isAiAllowedToReply(control.control)) return drop(job, { kind: 'skipped', reason: 'ai_not_active' });

  await deps.store.aiReplies.update(job.requestKey, { status: 'sending', sendStartedAt: deps.clock.now() }, deps.clock.now());
  let sent: ConversationMessage;
  try {
    sent = await deps.hubspot.sendThreadMessage(session.portalId, session.threadId!, { ...target, text, richText: toRichText(text) });
  } catch (err) {
    // Refused before processing (4xx, 429, our token or limiter): certainly not posted, so no lookup next time.
    const ambiguous = err instanceof HubSpotApiError && (err.kind === 'transient' || err.kind === 'unexpected');
    if (!ambiguous) await deps.store.aiReplies.update(job.requestKey, { status: 'drafted', sendStartedAt: null }, deps.clock.now());
    throw err;
  }
  return finish(job, text, sent);
}

async function finish(job: ReplyJob, text: string, sent: ConversationMessage): Promise<AiReplyResult> {
  const { deps, session } = job;
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.chatHistory.append({
      id: newId('msg'),
      sessionId: session.id,
      role: 'ai',
      text,
      hubspotMessageId: sent.id,
      createdAt: timeOf(sent, now),
      erasedAt: null,
    });
    await tx.aiReplies.update(job.requestKey, { status: 'answered', hubspotMessageId: sent.id }, now);
    await tx.sessions.touch(session.id, now);
  });
  return { kind: 'answered', text, hubspotMessageId: sent.id };
}

async function drop(job: ReplyJob, result: AiReplyResult): Promise<AiReplyResult> {
  await job.deps.store.aiReplies.update(job.requestKey, { status: 'pending', text: null, sendStartedAt: null }, job.deps.clock.now());
  await job.deps.store.aiReplies.release(job.requestKey, { forget: true });
  return result;
}

/**
 * Our message with this text, posted since the attempt began and not yet recorded: the post did happen. Listed
 * newest first, so the newest match comes first and the walk stops at the first message older than the attempt.
 */
async function findPostedReply(job: ReplyJob, record: AiReplyRecord): Promise<ConversationMessage | null> {
  const { deps, session } = job;
  const appId = deps.config.hubspot?.appId ?? null;
  const since = (record.sendStartedAt ?? 0) - CLOCK_SKEW_MS;
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await deps.hubspot.listMessages(session.portalId, session.threadId!, { order: 'newestFirst', limit: 100, ...(after ? { after } : {}) });
    for (const m of result.results) {
      if (timeOf(m, since) < since) return null;
      if (m.type !== 'MESSAGE' || classifyMessage(m, appId).kind !== 'ours') continue;
      if ((m.text ?? '').trim() !== record.text!.trim()) continue;
      if (await deps.store.chatHistory.findByHubSpotMessageId(session.id, m.id)) continue;
      return m;
    }
    if (!result.nextAfter) break;
    after = result.nextAfter;
  }
  return null;
}
