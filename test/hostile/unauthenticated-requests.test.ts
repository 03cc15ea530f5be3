// Requests that carry no credential at all, through the real HTTP server logging at info: absolute-form request
// targets, and clients that hang up in the middle of their body, on every route. None may be answered with a 5xx
// or logged at error level (such a line pages someone; an attacker must not be able to write them at will).
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { useSandboxedServer } from '../support/sandboxed-server';
import { PUBLIC_ROUTES } from './fuzz-arbitraries';
import { plausiblySigned, stallRequest } from './stalled-requests';

const world = useSandboxedServer({ logLevel: 'info', process: {} });

/** One raw request on its own connection; resolves with the status line's code (0: closed without one). */
function rawStatus(request: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(world.server.port, '127.0.0.1');
    let answer = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('close', () => resolve(0));
    socket.write(request);
  });
}

const errorLines = () => world.server.output().split('\n').filter((line) => /"level":"(error|fatal)"|^\s*at |Error:/.test(line));

it('answers absolute-form request targets on every route with a 4xx (or the page), never a 5xx', async () => {
  const targets = PUBLIC_ROUTES.flatMap(([method, path]) => [
    [method, `http://evil.example${path}`],
    [method, `https://evil.example:8443${path}?x=%2F1`],
  ]);
  targets.push(['POST', 'http://evil.example'], ['POST', 'http://evil.example?x=1'], ['GET', 'http://[::1]:1/healthz']);
  for (const [method, target] of targets) {
    const body = method === 'POST' ? '[]' : '';
    const status = await rawStatus(`${method} ${target} HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${method === 'POST' ? 'X-HubSpot-Signature-v3: AAAA\r\nX-HubSpot-Request-Timestamp: ' + Date.now() + '\r\n' : ''}\r\n${body}`);
    expect(status, `${method} ${target}`).toBeGreaterThanOrEqual(200);
    expect(status, `${method} ${target}`).toBeLessThan(500);
  }
  expect(errorLines()).toEqual([]);
});

it('takes clients that hang up mid-body, on every route and many at a time, as no error', async () => {
  const posts = PUBLIC_ROUTES.filter(([method]) => method === 'POST').map(([, path]) => path);
  for (let round = 0; round < 6; round += 1) {
    // Bodies of declared length and chunked ones (read by another path), with and without a plausible signature.
    const contentLength = round % 2 === 0 ? 50_000 : 'chunked';
    const headers = round < 4 ? plausiblySigned() : {};
    const aborted = posts.map((path, i) =>
      stallRequest({ port: world.server.port, localAddress: `127.0.1.${i + 1}`, path, headers, contentLength, send: 1_000 * (round + 1) }),
    );
    await sleep(100);
    for (const request of aborted) request.hangUp();
    await Promise.all(aborted.map((r) => r.closed));
  }
  await sleep(200);
  expect((await fetch(`${world.server.url}/healthz`)).status).toBe(200);
  expect(world.server.output()).toContain('request_aborted');
  expect(errorLines()).toEqual([]);
});
