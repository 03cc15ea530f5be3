// A load balancer in front of several server processes: every request goes to the next target in turn (or where
// the test's `pick` sends it), with its method, path, query, headers and body unchanged (HubSpot's signatures cover
// the public URL, which is this one). It records every answer, so a test can see what HubSpot would have been told.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  target: number;
  method: string;
  path: string;
  /** 0 when the target could not be reached (the proxy then answers 502, as a load balancer would). */
  status: number;
  /** The request body and the answer's (each cut at 2,000 characters). */
  requestBody: string;
  body: string;
}

export interface RoundRobinProxy {
  url: string;
  /** Targets can be set after the proxy listens (the servers need its URL as PUBLIC_BASE_URL first). */
  setTargets(urls: string[]): void;
  readonly log: ProxiedRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

/** Chooses the target of a request (an index into the targets); undefined leaves it to the round robin. */
export type PickTarget = (request: { method: string; path: string; body: string }) => number | undefined;

export async function startRoundRobinProxy(options: { pick?: PickTarget } = {}): Promise<RoundRobinProxy> {
  let targets: string[] = [];
  let turn = 0;
  const log: ProxiedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const picked = options.pick?.({ method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') });
    const target = (picked ?? turn++) % Math.max(1, targets.length);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    }
    const entry: ProxiedRequest = { target, method: req.method ?? 'GET', path: req.url ?? '/', status: 0, requestBody: body.toString('utf8', 0, 2000), body: '' };
    log.push(entry);
    try {
      const answer = await fetch(`${targets[target]}${req.url ?? '/'}`, {
        method: entry.method,
        headers,
        ...(body.length > 0 ? { body } : {}),
        redirect: 'manual',
      });
      const text = await answer.text();
      entry.status = answer.status;
      entry.body = text.slice(0, 2000);
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value;
      });
      res.writeHead(answer.status, out).end(text);
    } catch (err) {
      entry.body = String(err);
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"bad_gateway","message":"target unreachable"}}');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTargets: (urls) => {
      targets = [...urls];
    },
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
