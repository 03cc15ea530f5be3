// The request bodies the stand-in accepts, from docs/opencx-api.md §2, §3 and §5. Strict: an unknown field is a
// 400, so a typo in our client fails here instead of being silently ignored (the stand-in may be stricter than
// OpenCX, never looser).
import { z } from 'zod';

/** Documented channel types (docs/opencx-api.md §2). */
export const CHANNEL_TYPES = ['web', 'web_voice', 'phone_voice', 'email', 'sms', 'whatsapp', 'api'] as const;
export const SESSION_STATUSES = ['open', 'closed_resolved', 'closed_unresolved'] as const;

/** Session custom data is flat: a nested object is refused (docs/opencx-api.md §2). */
const flatCustomData = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
  error: 'custom_data must be a flat object of strings, numbers and booleans',
});
/** Contact custom data values are strings (docs/opencx-api.md §3). */
const contactCustomData = z.record(z.string(), z.string(), { error: 'contact.custom_data values must be strings' });

const contact = z.strictObject({
  email: z.email().optional(),
  name: z.string().optional(),
  phone_number: z.string().optional(),
  avatar_url: z.string().optional(),
  custom_data: contactCustomData.optional(),
});

export const createSessionBody = z.strictObject({
  contact_id: z.uuid().optional(),
  channel: z.strictObject({ type: z.enum(CHANNEL_TYPES) }).optional(),
  verified: z.boolean().nullable().optional(),
  custom_data: flatCustomData.optional(),
  contact: contact.optional(),
});
export type CreateSessionBody = z.infer<typeof createSessionBody>;

const attachment = z.strictObject({ name: z.string(), url: z.string().optional(), base64: z.string().optional(), mime_type: z.string().optional() });

export const sendMessageBody = z
  .strictObject({
    sender: z.enum(['contact', 'agent']),
    message: z.strictObject({ type: z.literal('text'), text: z.string().min(1), attachments: z.array(attachment).optional() }),
    contact: contact.optional(),
    custom_data: flatCustomData.optional(),
    agent: z.strictObject({ id: z.number().int(), name: z.string(), avatar_url: z.string().optional() }).optional(),
    should_take_over_session_from_ai: z.boolean().optional(),
  })
  // ASSUMPTION: an agent message names its agent (docs/opencx-api.md §3 documents `agent` beside `sender`).
  .refine((b) => b.sender !== 'agent' || b.agent !== undefined, { error: 'agent is required when sender is agent', path: ['agent'] });
export type SendMessageBody = z.infer<typeof sendMessageBody>;

export const updateSessionBody = z.strictObject({
  status: z.enum(SESSION_STATUSES),
  generate_summary_and_sentiment_on_resolve: z.boolean().optional(),
  reflect_status_change_for_integration: z.boolean().optional(),
  session_closed_payload: z.unknown().optional(),
});

export const listSessionsQuery = z.object({
  status: z.enum(SESSION_STATUSES).optional(),
  handed_off: z.enum(['true', 'false']).optional(),
});
