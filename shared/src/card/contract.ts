import { z } from 'zod';

/**
 * The contract between the AI status card (hubspot-project/app/cards) and the server's
 * `GET|POST /hubspot/card/ai-status`. The card sends `ticketId` as a query parameter; the portal and user come
 * from the signed URL (HubSpot's proxy signs the final URL), never from the body.
 */
export const CARD_STATUS_PATH = '/hubspot/card/ai-status';

const actorSchema = z.object({
  kind: z.enum(['hubspot_owner', 'hubspot_user', 'workflow', 'ai', 'system']),
  id: z.string().nullable(),
  name: z.string().nullable(),
});

export const aiStateViewSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('active'), since: z.number().nullable() }),
  z.object({
    status: z.literal('paused'),
    source: z.enum(['agent_took_ownership', 'agent_replied', 'workflow', 'card', 'legacy_owner_check']),
    by: actorSchema,
    reason: z.string().nullable(),
    since: z.number(),
    until: z.number().nullable(),
  }),
  z.object({
    status: z.literal('handoff_requested'),
    reason: z.string(),
    requestedBy: actorSchema,
    since: z.number(),
    requestId: z.string(),
  }),
]);

export const cardStatusSchema = z.discriminatedUnion('view', [
  z.object({ view: z.literal('not_connected'), portalId: z.number() }),
  /** HubSpot refused the connection's credentials (a revoked Private App token, an uninstalled app). */
  z.object({ view: z.literal('reconnect_required'), portalId: z.number(), reason: z.string().nullable() }),
  z.object({ view: z.literal('no_conversation'), ticketId: z.string() }),
  z.object({
    view: z.literal('status'),
    ticketId: z.string(),
    sessionId: z.string(),
    ai: aiStateViewSchema,
    lastAiReply: z.object({ text: z.string(), at: z.number() }).nullable(),
  }),
]);
export type CardStatus = z.infer<typeof cardStatusSchema>;
export type AiStateView = z.infer<typeof aiStateViewSchema>;

export const CARD_ACTIONS = ['pause', 'resume', 'request_handoff'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export const cardCommandSchema = z.object({
  action: z.enum(CARD_ACTIONS),
  reason: z.string().trim().max(500).optional(),
});
export type CardCommand = z.infer<typeof cardCommandSchema>;

export const cardCommandResultSchema = z.object({
  outcome: z.enum([
    'paused', 'already_paused', 'resumed', 'already_active', 'handoff_requested', 'already_requested',
    'handoff_suppressed', 'not_due', 'ignored',
  ]),
  status: cardStatusSchema,
});
export type CardCommandResult = z.infer<typeof cardCommandResultSchema>;

/** Errors from the card API use the server's one error shape. */
export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
