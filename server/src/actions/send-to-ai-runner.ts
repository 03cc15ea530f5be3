import { replyWithAi } from '../effects/ai-reply';
import type { SyncDeps } from '../sync/sync-deps';
import type { RunAiForSession } from './send-to-ai-completion';

/**
 * Send to OpenCX AI's AI step: the sync shell's replyWithAi (posts the reply to the thread and stores it; hands
 * off when the AI asks for a person; idempotent per request, so a retry after a crash never posts twice). Its
 * default request key (session, latest customer message, instruction) also merges our request with an effects
 * worker asking the same thing. Only an answer has a text for the `aiReply` output field.
 */
export function replyWithAiRunner(deps: SyncDeps): RunAiForSession {
  return async (sessionId, instruction) => {
    const result = await replyWithAi(deps, sessionId, { instruction });
    return { reply: result.kind === 'answered' ? result.text : null };
  };
}
