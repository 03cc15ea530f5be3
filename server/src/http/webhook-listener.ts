import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { receiveWebhookBatch } from '../inbox/intake';
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_PATH } from '../routes/webhooks';
import { declaresLengthWithin, payloadTooLarge } from './limit-body';
import { errorAnswer } from './send-error';
import { verifySignedRequest } from './verify-hubspot';

export interface WebhookListenerOptions {
  /** The app's dependencies once the server is ready; until then (null) every request is the app's. */
  deps(): AppDeps | null;
  /** Requests the app must answer itself (a connection over its client's cap: http/connection-caps.ts). */
  leaveToApp(req: IncomingMessage): boolean;
  /** The app's own listener (@hono/node-server around the Hono app). */
  next: RequestListener;
}

/**
 * HubSpot's webhook deliveries (`POST /hubspot/webhooks`), the server's hot path, answered on Node's HTTP server
 * directly; every other request goes to `next`, the Hono app. The steps, errors and metrics are those of the
 * route in routes/webhooks.ts: the same body limit, verifySignedRequest, receiveWebhookBatch, and errorAnswer for
 * anything thrown. What is skipped is the adapter: a Web Request and Response built around each delivery and its
 * way through Hono's router and middleware cost a fifth of the server's CPU per 1-event delivery (bench/README.md,
 * "Issue 21"). Only the origin-form targets HubSpot sends are taken; any other form is left to the app.
 */
export function answerWebhooksFirst(options: WebhookListenerOptions): RequestListener {
  return (req, res) => {
    const deps = options.deps();
    const target = req.url;
    if (req.method !== 'POST' || !isWebhookTarget(target) || deps === null || options.leaveToApp(req)) {
      void options.next(req, res);
      return;
    }
    void answerDelivery(deps, req, target, res);
  };
}

const isWebhookTarget = (url: string | undefined): url is string =>
  url !== undefined && (url === WEBHOOK_PATH || url.startsWith(`${WEBHOOK_PATH}?`));

async function answerDelivery(deps: AppDeps, req: IncomingMessage, target: string, res: ServerResponse): Promise<void> {
  try {
    const readBody = await limitedBody(req, MAX_WEBHOOK_BODY_BYTES);
    const secret = deps.config.hubspot?.clientSecret;
    if (!secret) throw new AppError('unavailable', 'HubSpot app credentials are not configured');
    const rawBody = await verifySignedRequest(
      deps,
      { method: 'POST', target: () => target, header: (name) => headerOf(req.headers, name), readBody },
      secret,
      { allowV2Fallback: false },
    );
    send(req, res, 200, await receiveWebhookBatch(deps, rawBody));
  } catch (err) {
    const answer = errorAnswer(err, deps.logger, { method: 'POST', path: WEBHOOK_PATH });
    deps.metrics.webhookRequestsRefused.inc({ reason: answer.body.error.code });
    send(req, res, answer.status, answer.body, answer.headers);
  }
}

/**
 * The body reader under the limit, as limitBody (limit-body.ts) applies it to the app's routes: a declared length
 * is judged before anything is read; a chunked body, which declares none, is read now, so that an oversized one is
 * a 413 whatever its headers say.
 */
async function limitedBody(req: IncomingMessage, maxBytes: number): Promise<() => Promise<Uint8Array>> {
  const { headers } = req;
  if (declaresLengthWithin(headers['content-length'], headers['transfer-encoding'], maxBytes)) return () => readWhole(req, maxBytes);
  const whole = await readWhole(req, maxBytes);
  return async () => whole;
}

/** The body's bytes; a client that hangs up (or is cut by the request timeout) before the end is a 400. */
function readWhole(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (settleWith: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settleWith();
    };
    const aborted = (cause?: unknown) => new AppError('request_aborted', 'The request body did not arrive whole', { cause });
    // Past the limit the rest is not kept: with no 'data' listener left the stream discards it, and the answer
    // closes the connection (see send).
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) settle(() => reject(payloadTooLarge(maxBytes)));
      else chunks.push(chunk);
    };
    const onEnd = () => settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    const onError = (err: unknown) => settle(() => reject(aborted(err)));
    const onClose = () => settle(() => reject(aborted()));
    req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/** Node gives a repeated header as an array (only set-cookie) or joined; signatures and lengths are single values. */
const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * A JSON answer, as Hono's `c.json` writes it. A request whose body was not read to its end (refused early, cut
 * off) gets `Connection: close`: the unread rest must not be parsed as the next request on that connection.
 */
function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return; // the client hung up: nobody to answer
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(req.complete ? {} : { connection: 'close' }),
    ...headers,
  });
  res.end(text);
}
