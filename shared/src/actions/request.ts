import { z } from 'zod';
import { objectIdSchema, portalIdSchema } from './fields';

/** HubSpot's names for the objects an action can be enrolled with (as in the hsmeta `objectTypes`). */
export const ACTION_OBJECT_TYPES = ['TICKET', 'CONTACT'] as const;
export type ActionObjectType = (typeof ACTION_OBJECT_TYPES)[number];

/**
 * The body HubSpot POSTs to an action's `actionUrl` (docs/hubspot-contract.md §3.1). Unknown keys that HubSpot adds
 * (`origin.actionExecutionIndexIdentifier`, a duplicate `fields` object, ...) are kept on the loose objects and
 * ignored; input fields outside the action's schema are dropped.
 */
export const workflowActionRequestSchema = <
  I extends z.ZodObject,
  const T extends readonly [ActionObjectType, ...ActionObjectType[]],
>(
  inputSchema: I,
  objectTypes: T,
) =>
  z.looseObject({
    callbackId: z.string().min(1),
    origin: z.looseObject({
      portalId: portalIdSchema,
      actionDefinitionId: z.number().optional(),
      actionDefinitionVersion: z.number().optional(),
    }),
    // UNVERIFIED: that `context` is always sent and `workflowId` is a number (docs/hubspot-contract.md §3.1: one doc
    // example and one real capture); hence optional here.
    context: z
      .looseObject({ source: z.string().optional(), workflowId: z.number().optional() })
      .optional()
      .default({}),
    object: z.looseObject({
      objectId: objectIdSchema,
      // HubSpot writes the type in upper case ("TICKET"); accept any case rather than fail a real enrolment.
      objectType: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(objectTypes)),
      // Only the properties listed in `objectRequestOptions.properties` arrive; values are strings or null.
      properties: z.record(z.string(), z.string().nullable()).optional().default({}),
    }),
    // An action whose optional inputs are all empty may arrive with `inputFields: {}` or none at all.
    inputFields: z.preprocess((value) => value ?? {}, inputSchema),
  });
