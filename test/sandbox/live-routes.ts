// GET /_sandbox/live: server-sent events for the sandbox page and the card host (live-events.ts says what is sent).
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SandboxContext } from './context';

const KEEP_ALIVE_MS = 15_000;

export function liveRoutes(ctx: SandboxContext): Hono {
  return new Hono().get('/_sandbox/live', (c) =>
    streamSSE(c, async (stream) => {
      let id = 0;
      const unsubscribe = ctx.live.subscribe((event) => {
        const data = event.type === 'state' ? '{}' : JSON.stringify({ portalId: event.portalId, change: event.change });
        void stream.writeSSE({ event: event.type, data, id: String((id += 1)) });
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      // Held open until the browser leaves or the sandbox closes; pings keep proxies from timing the stream out.
      await new Promise<void>((resolve) => {
        const ping = setInterval(() => void stream.writeSSE({ event: 'ping', data: '{}' }), KEEP_ALIVE_MS);
        const end = () => {
          clearInterval(ping);
          unsubscribe();
          resolve();
        };
        stream.onAbort(end);
        ctx.shutdown.addEventListener('abort', end, { once: true });
      });
    }),
  );
}
