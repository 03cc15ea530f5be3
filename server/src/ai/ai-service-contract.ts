import { z } from 'zod';

/**
 * The wire contract between this server and the OpenCX AI service. We define it here; the HTTP agent sends
 * and checks exactly this, and a fake AI service in tests can import the same schemas.
 *
 *   POST ${OPENCX_AI_URL}/v1/reply      Content-Type: application/json
 *   → { organizationId, sessionId, channel, history: [{ role, text, at }], instruction: string | null }
 *   ← 200 { type: 'answer', text } | { type: 'handoff', reason } | { type: 'no_reply', reason }
 *   ← 429 / 5xx: temporary, retried (429 may carry Retry-After in seconds)
 *   ← other 4xx: the request is wrong, never retried
 *
 * UNVERIFIED: this is our proposal, not checked against the real OpenCX AI API (no published spec was available to check it against)
 */
export const AI_REPLY_PATH = 'v1/reply';

export const aiServiceRequestSchema = z.object({
  organizationId: z.string(),
  sessionId: z.string(),
  channel: z.enum(['chat', 'email', 'other']),
  history: z.array(
    z.object({ role: z.enum(['customer', 'ai', 'agent', 'system']), text: z.string(), at: z.number() }),
  ),
  /** Always present (null when there is none) so the service need not tell "absent" from "null". */
  instruction: z.string().nullable(),
});
export type AiServiceRequest = z.infer<typeof aiServiceRequestSchema>;

// Extra fields are ignored (z.object strips), so the service may add e.g. confidence or sources later.
export const aiServiceResponseSchema = z.discriminatedUnion('type', [
  // An empty answer would be posted to the customer as a blank message: treat it as malformed.
  z.object({ type: z.literal('answer'), text: z.string().trim().min(1) }),
  z.object({ type: z.literal('handoff'), reason: z.string() }),
  z.object({ type: z.literal('no_reply'), reason: z.string() }),
]);
export type AiServiceResponse = z.infer<typeof aiServiceResponseSchema>;
