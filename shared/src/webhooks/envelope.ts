import { z } from 'zod';
import type { WebhookEventIdentity } from './normalized-event';

/** A field problem inside one event; events.ts adds which event it is. */
export interface FieldIssue {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** `number`, `array`, `null`, `nothing`…: what a reader of a 400 needs to see, without echoing values. */
export const describeValue = (value: unknown): string =>
  value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

// Zod's default texts ("Invalid input: …") say nothing about which event; we phrase the field part here and
// events.ts prefixes the event. Values are never echoed: a 400 body may end up in HubSpot's delivery logs.
const phrase = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? `expected ${issue.expected} (missing)`
      : `expected ${issue.expected}, received ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return undefined;
};

export const check = <T>(schema: z.ZodType<T>, input: unknown): Checked<T> => {
  // Parsed without the error customiser first: zod leaves its compiled fast path when one is given, which made a
  // valid event (every delivery, thousands a second) cost 2.5× as much to check. Only a refused event is parsed
  // again, to phrase its issues.
  const valid = schema.safeParse(input);
  if (valid.success) return { ok: true, value: valid.data };
  const result = schema.safeParse(input, { error: phrase });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
};

/** HubSpot ids arrive as JSON numbers; anything past 2^53 would already have lost digits in JSON.parse. */
export const hubspotId = z.number().int().nonnegative();

/**
 * For fields we keep only for dedup and logs: whatever HubSpot sends must not break intake, so a changed
 * type degrades to a string or null instead of an error. Handlers re-check strictly the fields they use.
 */
// `.optional()` before the transform: an absent key must still come out as null (zod 4 treats a bare
// transform as a required key).
const tolerantString = z.unknown().optional().transform((v): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null,
);
const tolerantId = z
  .unknown()
  .optional()
  .transform((v): number | null => (hubspotId.safeParse(v).success ? (v as number) : null));

/**
 * What every event must have, whatever its subscription type: the fields that identify it (dedup) and say
 * what it is. Unknown extra fields are dropped (z.object strips), as HubSpot adds fields over time.
 */
export const webhookEnvelopeSchema = z.object({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: hubspotId,
  appId: z.number().int(),
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().nonnegative(),
  objectId: tolerantId,
  objectTypeId: tolerantString,
  propertyName: tolerantString,
  propertyValue: tolerantString,
  messageId: tolerantString,
  changeSource: tolerantString,
  sourceId: tolerantString,
}) satisfies z.ZodType<WebhookEventIdentity>;
