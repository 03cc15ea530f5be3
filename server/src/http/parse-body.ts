import type { z } from 'zod';
import { AppError, describeZodIssues } from '../errors';

/**
 * Parses a request body already read as text. Signed endpoints read the bytes first (readBodyBytes: the
 * signature covers the raw bytes), so parsing takes the text rather than the request.
 * Malformed JSON → `invalid_json`; a schema mismatch → `validation_failed` naming the field paths.
 */
export function parseJsonBody<S extends z.ZodType>(rawBody: string, schema: S): z.output<S> {
  return parseInput(parseJsonText(rawBody), schema);
}

/**
 * HubSpot's bodies nest 4 levels at most. Far deeper ones are attacks that pass JSON.parse and then fail where
 * they are stored (SQLite's json_valid() stops at 1000 levels; JSON.stringify overflows the stack deeper still),
 * which would be a 500 after the signature check and fail the batches committed with them.
 */
export const MAX_JSON_DEPTH = 64;

/** JSON.parse for request bodies: malformed or too deeply nested JSON → `invalid_json` (400), before any parse. */
export function parseJsonText(text: string): unknown {
  if (nestingDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new AppError('invalid_json', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON');
  }
}

/** One pass over the text, skipping strings: cheap next to JSON.parse, and it never recurses. */
function nestingDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i += 1; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth += 1;
      if (depth > max) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth -= 1;
  }
  return false;
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
