// Requests that a hostile client starts and never finishes, over raw sockets: the headers, part of the announced
// body, then silence (or a hang-up). Each records what the server answered and when it closed the connection.
import { connect, type Socket } from 'node:net';

export interface StalledRequest {
  /** The status of the server's answer, once one arrived. */
  status(): number | null;
  /** Milliseconds from the start to the connection's close, once closed. */
  closedAfterMs(): number | null;
  readonly closed: Promise<void>;
  /** Hangs up (the client drops the connection mid-body). */
  hangUp(): void;
}

export interface StallOptions {
  port: number;
  /** A loopback source address (all of 127/8 reaches the server on Linux); default 127.0.0.1. */
  localAddress?: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** What Content-Length announces; 'chunked' announces nothing (Transfer-Encoding: chunked). */
  contentLength: number | 'chunked';
  /** How many bytes of the body are sent before the client goes quiet. */
  send: number;
  /** Go quiet in the middle of the headers instead (nothing of the body is sent). */
  stallInHeaders?: boolean;
}

export function stallRequest(options: StallOptions): StalledRequest {
  const started = Date.now();
  let status: number | null = null;
  let closedAfterMs: number | null = null;
  let answer = '';
  const socket: Socket = connect({ port: options.port, host: '127.0.0.1', localAddress: options.localAddress ?? '127.0.0.1' });
  socket.on('error', () => undefined);
  // Reading keeps the socket flowing, so that its close is seen.
  socket.on('data', (chunk: Buffer) => {
    if (status !== null) return;
    answer += chunk.toString('latin1');
    const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
    if (match) status = Number(match[1]);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => {
    closedAfterMs = Date.now() - started;
    resolve();
  }));
  const chunked = options.contentLength === 'chunked';
  const length = chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(options.contentLength) };
  const headers = { Host: 'opencx.test', 'Content-Type': 'application/json', ...options.headers, ...length };
  const head = `${options.method ?? 'POST'} ${options.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}`;
  socket.write(options.stallInHeaders ? head : `${head}\r\n`);
  if (options.send > 0 && !options.stallInHeaders) {
    const body = Buffer.alloc(options.send, 0x20);
    socket.write(chunked ? Buffer.concat([Buffer.from(`${options.send.toString(16)}\r\n`), body, Buffer.from('\r\n')]) : body);
  }
  return {
    status: () => status,
    closedAfterMs: () => closedAfterMs,
    closed,
    hangUp: () => socket.destroy(),
  };
}

/**
 * Headers that pass every check made before the body is read (a signature of the right shape, a fresh
 * timestamp): the worst case, a client that makes the server buffer the body it then cannot verify.
 */
export const plausiblySigned = (): Record<string, string> => ({
  'X-HubSpot-Signature-v3': `${'A'.repeat(43)}=`,
  'X-HubSpot-Request-Timestamp': String(Date.now()),
});
