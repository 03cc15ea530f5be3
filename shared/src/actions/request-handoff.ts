import { z } from 'zod';
import { optionalHubSpotId, optionalText, requiredText } from './fields';
import { actionOutputSchema } from './outputs';

/**
 * "Request OpenCX handoff": the reason becomes a note on the ticket; the owner and pipeline stage, when given,
 * are set on the ticket. Ticket-only, since a contact has neither.
 */
export const requestHandoffInputSchema = z.object({
  // UNVERIFIED: that an OWNER input (type enumeration, referencedObjectType OWNER) arrives as the owner id, as a
  // string or a number (docs/hubspot-contract.md §8.4; the doc example's `widgetOwner` is "1234567").
  reason: requiredText(500),
  ownerId: optionalHubSpotId(),
  pipelineStage: optionalText(100),
});
export type RequestHandoffInput = z.infer<typeof requestHandoffInputSchema>;

export const requestHandoffOutputSchema = actionOutputSchema([
  'handoff_requested',
  'already_requested',
  'handoff_suppressed',
]);
export type RequestHandoffOutput = z.infer<typeof requestHandoffOutputSchema>;
