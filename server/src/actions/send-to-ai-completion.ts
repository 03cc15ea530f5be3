import { failedActionResponse, initialAiControl } from '@opencx/shared';
import type { OutputFields, SendToAiWork } from '../store/action-executions.store';
import type { Store } from '../store/store';

/**
 * Asks the AI to answer on one session now (posting the reply to the conversation) and returns the reply
 * text, or null when the AI did not answer (it handed off, or had nothing to say). Throws when the AI or
 * HubSpot failed; the caller retries.
 */
export type RunAiForSession = (sessionId: string, instruction: string | null) => Promise<{ reply: string | null }>;

export interface SendToAiSteps {
  store: Pick<Store, 'sessions' | 'aiControl'>;
  runAi: RunAiForSession;
  /** Persists progress after each session, so a retry skips the sessions already answered. */
  saveProgress(work: SendToAiWork): Promise<void>;
}

/**
 * The background half of Send to OpenCX AI: runs the AI on each session of the call (a deleted conversation is
 * skipped) and returns the output fields that complete the BLOCKed execution: the AI status after the reply (the
 * AI may have handed off), the outcome decided when the call arrived, and the first session's reply.
 */
export async function runSendToAi(steps: SendToAiSteps, work: SendToAiWork): Promise<OutputFields> {
  const replies: Record<string, string | null> = { ...work.replies };
  const live: string[] = [];
  for (const sessionId of work.sessionIds) {
    const session = await steps.store.sessions.get(sessionId);
    if (!session || session.status === 'deleted') continue;
    live.push(sessionId);
    if (sessionId in replies) continue;
    replies[sessionId] = (await steps.runAi(sessionId, work.instruction)).reply;
    await steps.saveProgress({ ...work, replies });
  }
  const first = live[0];
  if (first === undefined) return { ...failedActionResponse('NO_CONVERSATION').outputFields };

  const control = (await steps.store.aiControl.load(first))?.control ?? initialAiControl();
  const reply = live.map((id) => replies[id]).find((text): text is string => typeof text === 'string' && text !== '');
  return {
    aiStatus: control.state.status,
    outcome: work.outcome,
    ...(reply === undefined ? {} : { aiReply: reply }),
    hs_execution_state: 'SUCCESS',
  };
}
