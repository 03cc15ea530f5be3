import type { AiAgent, AiHistoryEntry, AiReply, AiReplyInput } from '../agent';
import { AppError } from '../../errors';
import type { OpenCxKeyRecord } from '../../store/opencx-keys.store';
import { OpenCxApiError } from './errors';
import { openOpenCxSession } from './open-session';
import type { SendMessageResult } from './schemas';
import { withOpenCxKey, type OpenCxDeps } from './with-key';

/**
 * The AI agent for every organization: through the OpenCX API when the organization saved a key, else `fallback`
 * (the embedded FAQ agent, or OPENCX_AI_URL's service). The rest of the server sees one AiAgent and needs no change.
 */
export function createOpenCxAgent(deps: OpenCxDeps & { fallback: AiAgent }): AiAgent {
  return {
    async reply(input) {
      const key = await deps.store.opencxKeys.get(input.organizationId);
      return key ? replyThroughOpenCx(deps, key, input) : deps.fallback.reply(input);
    },
  };
}

/**
 * The customer messages OpenCX has not had yet: those since the last reply (AI or agent) and after the session's
 * forwarded mark, so a retry after a partial failure never sends one twice.
 */
export function unsentCustomerMessages(history: readonly AiHistoryEntry[], forwardedUntil: number): AiHistoryEntry[] {
  const pending: AiHistoryEntry[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.role === 'ai' || entry.role === 'agent') break;
    if (entry.role === 'customer' && entry.at > forwardedUntil) pending.unshift(entry);
  }
  return pending;
}

async function replyThroughOpenCx(deps: OpenCxDeps, key: OpenCxKeyRecord, input: AiReplyInput): Promise<AiReply> {
  const session = await deps.store.sessions.get(input.sessionId);
  if (!session) throw new AppError('not_found', `Unknown session ${input.sessionId}`);
  return withOpenCxKey(deps, key, async (apiKey) => {
    let link = await deps.store.opencxSessions.get(session.id);
    const pending = unsentCustomerMessages(input.history, link?.forwardedUntil ?? 0);
    // The OpenCX API answers customer messages and takes no per-reply instruction: with nothing new to send, the
    // AI has nothing to answer (a "Send to OpenCX AI" instruction alone cannot steer it).
    if (pending.length === 0) return { kind: 'no_reply', reason: 'OpenCX already has every customer message of this conversation' };
    // A handed-off or closed OpenCX session no longer lets its AI answer: asked again (after a Resume), start anew.
    if (!link || link.handedOffAt !== null || link.closedAt !== null) link = await openOpenCxSession(deps, apiKey, session, link !== null, input.signal);

    const answers: string[] = [];
    let last: SendMessageResult | null = null;
    for (const message of pending) {
      const body = { sender: 'contact' as const, message: { type: 'text' as const, text: message.text } };
      try {
        last = await deps.opencx.sendMessage(apiKey, link.opencxSessionId, body, input.signal);
      } catch (error) {
        if (!(error instanceof OpenCxApiError) || error.failure !== 'session_not_found') throw error;
        // The OpenCX session is gone (deleted, or the key now belongs to another OpenCX organization): a new one.
        link = await openOpenCxSession(deps, apiKey, session, true, input.signal);
        last = await deps.opencx.sendMessage(apiKey, link.opencxSessionId, body, input.signal);
      }
      await deps.store.opencxSessions.markForwarded(session.id, message.at, deps.clock.now());
      if (last.answer) answers.push(last.answer);
      if (last.handedOff || last.aiError) break;
    }
    if (last?.handedOff) {
      await deps.store.opencxSessions.markHandedOff(session.id, deps.clock.now());
      return { kind: 'handoff', reason: 'The OpenCX AI handed this conversation to a person.' };
    }
    if (last?.aiError) return { kind: 'handoff', reason: `The OpenCX AI could not answer (${last.aiError}); a person should take over.` };
    // Several customer messages sent at once: each got an answer, and the customer gets them all, in order.
    return answers.length > 0 ? { kind: 'answer', text: answers.join('\n\n') } : { kind: 'no_reply', reason: 'The OpenCX AI had nothing to say' };
  });
}
