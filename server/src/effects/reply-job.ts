import type { AiOutcome, ChatMessage, ChatSession } from '@opencx/shared';
import type { SyncDeps } from '../sync/sync-deps';

// The vocabulary of one AI reply, shared by ai-reply.ts (drafting) and post-reply.ts (posting), so neither
// imports the other.

export type AiReplySkipReason = 'ai_not_active' | 'session_deleted' | 'no_thread' | 'agent_owns_conversation';

export type AiReplyResult =
  /** Posted to the thread (with the email signature where it applies) and stored in chat_history. */
  | { kind: 'answered'; text: string; hubspotMessageId: string }
  /** The AI asked for a person: `requestHandoff` was applied (note on the ticket, AI stops replying). */
  | { kind: 'handoff'; reason: string; outcome?: AiOutcome }
  /** Nothing to say: the customer was already answered, or the AI chose not to reply. Nothing posted. */
  | { kind: 'no_reply'; reason: string }
  | { kind: 'skipped'; reason: AiReplySkipReason };

export interface ReplyJob {
  deps: SyncDeps;
  session: ChatSession;
  history: ChatMessage[];
  /** The latest customer message: what the reply answers (and the handoff's request id). */
  trigger: ChatMessage | null;
  instruction: string | null;
  requestKey: string;
  signal?: AbortSignal;
}
