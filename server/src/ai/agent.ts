import type { ChatChannel, ChatRole, Timestamp } from '@opencx/shared/types';

/**
 * The AI that writes replies. The shell only talks to this interface, so the embedded FAQ agent (local runs,
 * tests) and the OpenCX AI service (production) are interchangeable.
 */
export interface AiAgent {
  reply(input: AiReplyInput): Promise<AiReply>;
}

export interface AiHistoryEntry {
  role: ChatRole;
  text: string;
  at: Timestamp;
}

export interface AiReplyInput {
  organizationId: string;
  sessionId: string;
  channel: ChatChannel;
  /** Oldest first; the last customer entry is what the AI answers. */
  history: AiHistoryEntry[];
  /** From a workflow's or agent's "send to AI" (AiCommand `sendToAi`): steers this one reply. */
  instruction?: string | null;
  signal?: AbortSignal;
}

export type AiReply =
  | { kind: 'answer'; text: string }
  /**
   * The AI wants a person to take over; `reason` goes into the handoff note for the agent, with the customer's
   * sentiment and language when the AI detected them (the embedded FAQ agent does not).
   */
  | { kind: 'handoff'; reason: string; sentiment?: string; language?: string }
  /** Nothing to say (e.g. the last message is not the customer's); the shell posts nothing. */
  | { kind: 'no_reply'; reason: string };

/**
 * Why a reply failed. `transient` tells the shell whether to retry later (outbox) or to give up and hand the
 * conversation to a person.
 */
export type AiServiceErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'rejected'
  | 'bad_response';

const TRANSIENT: Record<AiServiceErrorCode, boolean> = {
  unreachable: true,
  timeout: true,
  rate_limited: true,
  server_error: true,
  rejected: false,
  bad_response: false,
};

export class AiServiceError extends Error {
  override readonly name = 'AiServiceError';
  readonly transient: boolean;

  constructor(
    readonly code: AiServiceErrorCode,
    message: string,
    /** HTTP status of the last attempt, when there was a response. */
    readonly status: number | null,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.transient = TRANSIENT[code];
  }
}
