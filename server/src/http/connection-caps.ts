import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../config';
import { AppError, toErrorResponse } from '../errors';

/** How often Node looks for requests past their headers or request timeout (its default, 30 s, would triple them). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * The Node server options that cut slow clients: headers and the whole request (body included) within seconds,
 * idle kept-alive connections closed. A stalled body is then dropped, with the memory it held, by Node itself.
 */
export function serverTimeouts(limits: HttpLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
  };
}

/** Tells whether a request arrived on a connection that was over its client's cap. */
export interface ConnectionCaps {
  isRefused(socket: Socket | undefined): boolean;
  /** The answer to such a request: 429 (which HubSpot retries) and the connection closed. */
  refusal(): Response;
}

/**
 * Caps open connections in total (`server.maxConnections`: Node drops the extra ones) and per client address, so
 * that one client cannot hold the memory of many bodies at once. A connection over its client's cap is not
 * counted; its request is answered with a 429 before its body is read, and the connection is closed. The counts
 * live as long as this server.
 *
 * Behind a reverse proxy every connection comes from the proxy's address: raise HTTP_MAX_CONNECTIONS_PER_CLIENT
 * to the proxy's pool size there.
 */
export function capConnections(server: Server, limits: HttpLimits): ConnectionCaps {
  server.maxConnections = limits.maxConnections;
  const openByAddress = new Map<string, number>();
  const refused = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (openByAddress.get(address) ?? 0) + 1;
    if (open > limits.maxConnectionsPerClient) {
      refused.add(socket);
      return;
    }
    openByAddress.set(address, open);
    socket.once('close', () => {
      const left = (openByAddress.get(address) ?? 1) - 1;
      if (left <= 0) openByAddress.delete(address);
      else openByAddress.set(address, left);
    });
  });
  const { status, body } = toErrorResponse(new AppError('rate_limited', 'Too many open connections from this address'));
  const json = JSON.stringify(body);
  return {
    isRefused: (socket) => socket !== undefined && refused.has(socket),
    refusal: () =>
      new Response(json, { status, headers: { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' } }),
  };
}
