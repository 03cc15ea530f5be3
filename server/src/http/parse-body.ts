import type { z } from 'zod';
import { AppError, describeZodIssues } from '../errors';

/**
 * Parses a request body already read as text. Signed endpoints must read `await c.req.text()` first (the
 * signature covers the raw bytes), so parsing takes the text rather than the request.
 * Malformed JSON → `invalid_json`; a schema mismatch → `validation_failed` naming the field paths.
 */
export function parseJsonBody<S extends z.ZodType>(rawBody: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON');
  }
  return parseInput(json, schema);
}

/** Validates anything that came from the caller (query, params, parsed body) against its schema. */
export function parseInput<S extends z.ZodType>(input: unknown, schema: S): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('validation_failed', describeZodIssues(result.error.issues));
  return result.data;
}

/**
 * Reads an HTML form post. A body that is not a readable form (a malformed multipart boundary, a wrong content
 * type) is the caller's mistake: 400, never a 500 from the parser.
 */
export async function readForm(req: { parseBody(): Promise<Record<string, unknown>> }): Promise<Record<string, unknown>> {
  try {
    return await req.parseBody();
  } catch {
    throw new AppError('validation_failed', 'The request body is not a readable form');
  }
}
