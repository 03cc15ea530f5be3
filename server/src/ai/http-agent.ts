import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { AiServiceError, type AiAgent, type AiReply, type AiServiceErrorCode } from './agent';
import {
  AI_REPLY_PATH,
  aiServiceResponseSchema,
  type AiServiceRequest,
  type AiServiceResponse,
} from './ai-service-contract';

export interface HttpAgentOptions {
  /** OPENCX_AI_URL; may carry a base path (`https://ai.example.com/opencx`). */
  url: string;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Total attempts, the first included. */
  attempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of many sessions
 * spread out but never come back at once. A server's Retry-After is honoured up to the cap.
 */
export const backoffDelay = (
  attempt: number,
  { backoffMs, maxBackoffMs, random }: { backoffMs: number; maxBackoffMs: number; random: () => number },
  retryAfterMs: number | null = null,
): number => {
  const step = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, maxBackoffMs));
};

interface Failure {
  code: AiServiceErrorCode;
  message: string;
  status: number | null;
  cause?: unknown;
  retryAfterMs?: number | null;
}
type Outcome = { reply: AiReply } | { failure: Failure };

const fail = (
  code: AiServiceErrorCode,
  message: string,
  status: number | null = null,
  extra: Partial<Failure> = {},
): Outcome => ({ failure: { code, message, status, ...extra } });

const retryAfterMsOf = (header: string | null): number | null =>
  header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : null;

const snippet = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

const toReply = (response: AiServiceResponse): AiReply =>
  response.type === 'answer'
    ? { kind: 'answer', text: response.text }
    : { kind: response.type, reason: response.reason };

/** The OpenCX AI service over HTTP (contract in ai-service-contract.ts), with timeout, retries and validation. */
export const createHttpAgent = (options: HttpAgentOptions): AiAgent => {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('The AI service URL must be http(s)');
  const endpoint = new URL(AI_REPLY_PATH, base).toString();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = {
    backoffMs: options.backoffMs ?? 250,
    maxBackoffMs: options.maxBackoffMs ?? 5_000,
    random: options.random ?? Math.random,
  };
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };

  const attemptOnce = async (body: string, caller: AbortSignal | undefined): Promise<Outcome> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    // A caller's abort (shutdown, session closed) is not the service failing: it propagates as is, unretried.
    const networkFailure = (error: unknown): Outcome => {
      if (caller?.aborted) throw caller.reason;
      if (timeout.aborted) {
        return fail('timeout', `the AI service did not answer within ${timeoutMs} ms`, null, { cause: error });
      }
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      const detail = typeof code === 'string' ? ` (${code})` : '';
      return fail('unreachable', `could not reach the AI service${detail}`, null, { cause: error });
    };
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(endpoint, { method: 'POST', headers, body, signal });
      text = await response.text(); // under the same signal: a body that never ends also times out
    } catch (error) {
      return networkFailure(error);
    }
    const { status } = response;
    if (status === 429) {
      const retryAfterMs = retryAfterMsOf(response.headers.get('retry-after'));
      return fail('rate_limited', 'the AI service is rate limiting us (429)', status, { retryAfterMs });
    }
    if (status >= 500) return fail('server_error', `the AI service failed (${status})`, status);
    if (status < 200 || status >= 300) {
      return fail('rejected', `the AI service refused the request (${status}): ${snippet(text)}`, status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail('bad_response', 'the AI service answered with something that is not JSON', status);
    }
    const parsed = aiServiceResponseSchema.safeParse(json);
    if (!parsed.success) {
      return fail('bad_response', `malformed AI answer: ${z.prettifyError(parsed.error)}`, status);
    }
    return { reply: toReply(parsed.data) };
  };

  return {
    async reply({ signal, organizationId, sessionId, channel, history, instruction }) {
      const request: AiServiceRequest = {
        organizationId,
        sessionId,
        channel,
        // Copied field by field: a caller's richer message objects must not leak extra fields to the service.
        history: history.map(({ role, text, at }) => ({ role, text, at })),
        instruction: instruction ?? null,
      };
      const body = JSON.stringify(request);
      for (let attempt = 1; ; attempt++) {
        signal?.throwIfAborted();
        const outcome = await attemptOnce(body, signal);
        if ('reply' in outcome) return outcome.reply;
        const { code, message, status, cause, retryAfterMs = null } = outcome.failure;
        const error = new AiServiceError(code, `${message} (attempt ${attempt} of ${attempts})`, status, attempt, { cause });
        if (!error.transient || attempt >= attempts) throw error;
        try {
          await sleep(backoffDelay(attempt, backoff, retryAfterMs), signal);
        } catch (sleepError) {
          throw signal?.aborted ? signal.reason : sleepError;
        }
      }
    },
  };
};
