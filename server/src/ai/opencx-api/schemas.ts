// The OpenCX API's bodies as this server sends and reads them (docs/opencx-api.md §2, §3, §5). Responses are
// read leniently (unknown fields ignored, both documented shapes of the send response accepted); requests are
// typed so the client cannot send a field OpenCX does not document.
import { z } from 'zod';

export type OpenCxChannelType = 'web' | 'email' | 'api';

export interface CreateSessionRequest {
  channel: { type: OpenCxChannelType };
  /** Flat: OpenCX refuses nested session custom data with a 400. */
  custom_data?: Record<string, string>;
  contact?: { name?: string; email?: string; custom_data?: Record<string, string> };
}

export interface SendMessageRequest {
  sender: 'contact' | 'agent';
  message: { type: 'text'; text: string };
  agent?: { id: number; name: string };
  should_take_over_session_from_ai?: boolean;
}

export interface UpdateSessionRequest {
  status: 'open' | 'closed_resolved' | 'closed_unresolved';
}

// `{ id }`; read inside `data` too, in case the wrapper the send response gained reaches this one.
const idBody = z.object({ id: z.string().min(1) });
export const createSessionResponse = z.union([idBody, z.object({ data: idBody })]).transform((b) => ('data' in b ? b.data : b));

const sendFields = z.object({
  autopilotResponse: z
    .object({
      value: z
        .object({
          // An error flag or message; false/null/'' mean none.
          error: z.union([z.boolean(), z.string()]).nullish(),
          content: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  sessionIsHandedOff: z.boolean().nullish(),
});

/** What a send tells us, whichever documented version answered. */
export interface SendMessageResult {
  /** The AI's reply text; null when it said nothing. */
  answer: string | null;
  /** The AI failed on this message (its own error message, or a generic one). */
  aiError: string | null;
  handedOff: boolean;
}

export const sendMessageResponse = z
  .object({ data: z.unknown().optional() })
  .passthrough()
  .transform((body, ctx): SendMessageResult => {
    // Newest docs wrap the fields in `data`; older ones put them at the top (the oldest: `data.message` only).
    const top = sendFields.safeParse(body);
    const inner = body.data !== undefined && body.data !== null ? sendFields.safeParse(body.data) : null;
    if (!top.success || (inner && !inner.success)) {
      ctx.addIssue({ code: 'custom', message: z.prettifyError((top.success ? inner!.error : top.error)!) });
      return z.NEVER;
    }
    const fields = { ...stripNullish(top.data), ...stripNullish(inner?.data ?? {}) };
    const value = fields.autopilotResponse?.value;
    const error = value?.error;
    const content = value?.content?.trim() ?? '';
    return {
      answer: content === '' ? null : content,
      aiError: error === true ? 'the OpenCX AI could not answer' : typeof error === 'string' && error.trim() !== '' ? error.trim() : null,
      handedOff: fields.sessionIsHandedOff === true,
    };
  });

const stripNullish = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;

/** OpenCX's error body (`{ statusCode, message, error }`); `message` may be a list (validation errors). */
export const errorResponse = z.object({ message: z.union([z.string(), z.array(z.string())]) }).transform((b) => (Array.isArray(b.message) ? b.message.join('; ') : b.message));

const sessionFields = z.object({ custom_data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).nullable()).nullish() }).passthrough();

/** A session read (GET /chat/sessions/{id}), bare or wrapped in `data` (both documented): its custom data. */
export const sessionResponse = z
  .object({ data: z.unknown().optional() })
  .passthrough()
  .transform((body, ctx): { customData: Record<string, string> } => {
    const parsed = sessionFields.safeParse(body.data !== undefined && body.data !== null ? body.data : body);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: z.prettifyError(parsed.error) });
      return z.NEVER;
    }
    const entries = Object.entries(parsed.data.custom_data ?? {}).filter(([, v]) => v !== null && v !== undefined);
    return { customData: Object.fromEntries(entries.map(([k, v]) => [k, String(v)])) };
  });
