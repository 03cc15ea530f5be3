import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';

/**
 * Refuses bodies over `maxSize` with 413 `payload_too_large`. A request that declares its length (every HubSpot
 * call does) is judged by its Content-Length header alone — Node's HTTP parser never reads past it — so its body
 * stays unread here and `c.req.arrayBuffer()` can take @hono/node-server's fast path straight from the socket. Hono's
 * bodyLimit touches `c.req.raw.body`, which builds a whole Web Request with a stream for every request; it still
 * handles chunked bodies, which carry no length.
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const streamed = bodyLimit({
    maxSize,
    onError: () => {
      throw payloadTooLarge(maxSize);
    },
  });
  return async (c, next) => {
    if (declaresLengthWithin(c.req.header('content-length'), c.req.header('transfer-encoding'), maxSize)) return next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    try {
      return await streamed(c, next);
    } catch (err) {
      // bodyLimit reads a chunked body itself (errors further down are answered there, not thrown up to here):
      // anything but our own 413 is the client hanging up mid-body.
      if (err instanceof AppError) throw err;
      throw new AppError('request_aborted', 'The request body did not arrive whole', { cause: err });
    }
  };
}

/**
 * True when the request declares its body's length (Content-Length and no Transfer-Encoding) within `maxSize`;
 * throws the 413 when it declares more, or a length that is not a number; false when the body is chunked and must
 * be counted as it is read. Node's HTTP parser never reads past a declared length.
 */
export function declaresLengthWithin(contentLength: string | undefined, transferEncoding: string | undefined, maxSize: number): boolean {
  if (contentLength === undefined || transferEncoding !== undefined) return false;
  if (!/^\d+$/.test(contentLength.trim()) || Number(contentLength) > maxSize) throw payloadTooLarge(maxSize);
  return true;
}

export const payloadTooLarge = (maxSize: number) => new AppError('payload_too_large', `The request body exceeds ${maxSize} bytes`);
