// Hostile input through the real HTTP server, in its own process (so that a crash shows as an exit): oversized,
// chunked and lying bodies, broken HTTP, signatures over raw encoded URLs, and random requests. Never a 5xx,
// never a crash, and the database is sound afterwards.
import { connect } from 'node:net';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { useSandboxedServer } from '../support/sandboxed-server';
import { sendSigned } from '../support/signed-requests';
import { integrityCheck } from '../support/sqlite-readonly';
import { hostileBody, hostileHeaders, hostilePath, PUBLIC_ROUTES } from './fuzz-arbitraries';
import { problemWith } from './hostile-kit';

const world = useSandboxedServer({ process: {} });

/** Sends raw bytes and returns whatever the server answers before closing (or a timeout). */
function raw(bytes: string | Buffer, waitMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(world.server.port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function expectAlive() {
  expect(world.server.exit(), world.server.output()).toBeNull();
  const health = await fetch(`${world.server.url}/healthz`);
  expect(health.status).toBe(200);
}

it('refuses oversized bodies with a JSON 413, whether their length is declared or chunked', async () => {
  const huge = Buffer.alloc(1024 * 1024 + 10, 'x');
  for (const [, path] of PUBLIC_ROUTES.filter(([m]) => m === 'POST')) {
    const declared = await fetch(`${world.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(declared.status, `${path} (Content-Length)`).toBe(413);
    expect(await declared.json(), path).toMatchObject({ error: { code: 'payload_too_large' } });
    const chunks = (async function* () {
      for (let i = 0; i < 17; i += 1) yield new Uint8Array(64 * 1024).fill(120);
    })();
    const chunked = await fetch(`${world.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks as unknown as ReadableStream, duplex: 'half' } as RequestInit);
    expect(chunked.status, `${path} (chunked)`).toBe(413);
    expect(await chunked.json(), path).toMatchObject({ error: { code: 'payload_too_large' } });
  }
  await expectAlive();
});

it('survives broken HTTP: lying lengths, truncated bodies, garbage request lines, absurd headers', async () => {
  const answers = await Promise.all([
    // Declares 10 bytes, sends more: the rest is read as a next request (which is garbage).
    raw('POST /hubspot/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n[{"eventId":1,"more":"than ten bytes"}]'),
    // Declares more than it sends, then goes quiet and hangs up.
    raw('POST /hubspot/actions/pause-ai HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"callbackId":', 300),
    raw('GARBAGE\r\n\r\n'),
    raw('GET /healthz HTTP/9.9\r\n\r\n'),
    raw(`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`),
    raw('POST /hubspot/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'),
    raw('POST /hubspot/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'),
    raw('POST /hubspot/webhooks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00])),
  ]);
  for (const answer of answers) expect(statusOf(answer) < 500, answer.slice(0, 200)).toBe(true);
  await expectAlive();
});

it('verifies v3 signatures over the raw URL HubSpot called, encoded characters and query included', async () => {
  const secret = world.sandbox.appCredentials.clientSecret;
  const body = JSON.stringify([{ eventId: 1, subscriptionId: 1, portalId: 999, appId: world.sandbox.appCredentials.appId, occurredAt: Date.now(), subscriptionType: 'conversation.creation', attemptNumber: 0, objectId: 5 }]);
  for (const query of ['', '?a=b', '?x=%2F%3A%40', '?q=%E2%98%83&r=1%202', '?ticket=(1)*!']) {
    const url = `${world.server.url}/hubspot/webhooks${query}`;
    const res = await sendSigned(url, { secret, signedUrl: url, body });
    expect(res.status, `${query}: ${await res.clone().text()}`).toBe(200);
    const tampered = await sendSigned(url, { secret, signedUrl: `${world.server.url}/hubspot/webhooks${query}&extra=1`, body });
    expect(tampered.status).toBe(401);
  }
  await expectAlive();
});

it('verifies signatures over the bytes received: invalid UTF-8 and a BOM are not decoded away first', async () => {
  const secret = world.sandbox.appCredentials.clientSecret;
  const url = `${world.server.url}/hubspot/webhooks`;
  const json = Buffer.from(JSON.stringify([{ eventId: 7, subscriptionId: 1, portalId: 999, appId: world.sandbox.appCredentials.appId, occurredAt: Date.now(), subscriptionType: 'conversation.creation', attemptNumber: 0, objectId: 5, note: 'caf\u00e9' }]));
  const at = json.indexOf(0xc3); // the é: its first byte alone is not UTF-8
  const invalidUtf8 = Buffer.concat([json.subarray(0, at + 1), json.subarray(at + 2)]);
  const replaced = new TextDecoder().decode(invalidUtf8); // what a lenient decode reads: "caf\uFFFD"
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
  const send = (body: Uint8Array, signedBody: string | Uint8Array) => sendSigned(url, { secret, signedUrl: url, body, signedBody });

  // Signed over other bytes than were sent: refused, whatever those bytes decode to.
  expect((await send(invalidUtf8, replaced)).status).toBe(401);
  expect((await send(withBom, json)).status).toBe(401);
  // Signed over the bytes sent: past the signature, then refused as what they are (not UTF-8; not JSON).
  for (const body of [invalidUtf8, withBom]) {
    const res = await send(body, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
  }
  expect((await send(json, json)).status).toBe(200);
  await expectAlive();
});

it('never answers random requests over HTTP with a 5xx, and does not crash', async () => {
  await fc.assert(
    fc.asyncProperty(hostilePath, hostileHeaders, hostileBody, async (path, headers, body) => {
      const method = PUBLIC_ROUTES.find(([, p]) => path.startsWith(p))?.[0] ?? 'POST';
      let res: Response;
      try {
        res = await fetch(`${world.server.url}${path.startsWith('/') ? path : `/${path}`}`, { method, headers, ...(method === 'GET' ? {} : { body }) });
      } catch (err) {
        // The client refused to build the request (e.g. an invalid URL): nothing reached the server.
        if (err instanceof TypeError && !(err as { cause?: unknown }).cause) return;
        throw err;
      }
      const answer = { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
      expect(problemWith(path, answer, method), `${method} ${path}`).toBeNull();
    }),
    { numRuns: 150 },
  );
  await expectAlive();
  await world.server.stop();
  expect(world.server.exit()?.code).toBe(0);
  expect(integrityCheck(world.databasePath)).toBe('ok');
}, 60_000);
