import { z } from 'zod';

/**
 * Building blocks for workflow-action input fields. HubSpot sends input values as strings (numbers as strings or
 * numbers, depending on the field and the value type), and an empty field arrives as "" or is left out; both mean
 * "absent". Every helper here treats a blank value exactly like a missing one, so the schemas stay honest about
 * which fields are optional.
 */
export const blankToUndefined = (value: unknown): unknown =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/** A decimal number given as a number or as a string such as "30" or " 30.0 "; nothing else (no "1e3", no true). */
const numberish = z.union([
  z.number(), // zod 4 numbers already exclude NaN and Infinity
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

/** A HubSpot id (owner, object): digits given as a number or a string; always handed on as a string. */
const hubspotIdish = z.union([
  z.number().int().nonnegative().transform(String).pipe(z.string()),
  z.string().trim().regex(/^\d+$/, 'must be a HubSpot id (digits only)'),
]);

export const optionalText = (maxLength: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(maxLength).optional());

export const requiredText = (maxLength: number) =>
  z.preprocess(
    blankToUndefined,
    z.string({ error: 'is required' }).trim().min(1, 'is required').max(maxLength),
  );

/** A whole number of at least 1 and at most `max`; "30.0" is 30, "1.5" is rejected rather than rounded. */
export const optionalPositiveInt = (max: number) =>
  z.preprocess(
    blankToUndefined,
    numberish.pipe(z.number().int('must be a whole number').min(1).max(max)).optional(),
  );

export const optionalHubSpotId = () => z.preprocess(blankToUndefined, hubspotIdish.optional());

/** The object an action runs on: `objectId` is normalised to a string, like every id in the domain. */
export const objectIdSchema = hubspotIdish;

/** `origin.portalId` is a number in HubSpot's payloads; a digit string is accepted and converted. */
export const portalIdSchema = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().positive()),
]);
