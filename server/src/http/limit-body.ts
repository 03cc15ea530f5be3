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
  const tooLarge = (): never => {
    throw new AppError('payload_too_large', `The request body exceeds ${maxSize} bytes`);
  };
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(declared.trim()) || Number(declared) > maxSize) tooLarge();
      return next();
    }
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
