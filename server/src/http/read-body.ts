import type { Context } from 'hono';
import { AppError } from '../errors';

/**
 * The body exactly as received, as bytes: signatures are checked over these (a decode would replace invalid UTF-8
 * and drop a BOM, changing what was signed). A read that fails means the client hung up, or was cut by the
 * server's request timeout, before the body was complete: the client's doing, a 4xx, not a server error.
 */
export async function readBodyBytes(c: Context): Promise<Uint8Array> {
  try {
    return new Uint8Array(await c.req.arrayBuffer());
  } catch (err) {
    if (err instanceof AppError) throw err; // e.g. payload_too_large from the body limit
    throw new AppError('request_aborted', 'The request body did not arrive whole', { cause: err });
  }
}

// fatal: invalid UTF-8 is refused rather than replaced; ignoreBOM: a BOM stays in the text (and JSON.parse refuses
// it) instead of being dropped silently.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes a (verified) body for parsing; JSON is UTF-8 (RFC 8259 §8.1), so anything else is the caller's error. */
export function decodeUtf8Body(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8');
  }
}
