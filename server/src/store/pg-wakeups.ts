import pg from 'pg';
import type { Logger } from '../logger';
import type { WakeQueue } from './store';

/** The channels the triggers of migration 007 (postgres/) notify on. */
const CHANNELS: Record<string, WakeQueue> = { opencx_inbox: 'inbox', opencx_effects: 'effects' };
const RECONNECT_MS = 1_000;

export interface PgWakeups {
  subscribe(listener: (queue: WakeQueue) => void): () => void;
  close(): Promise<void>;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others), opened on the first subscriber.
 * A lost connection is reopened after a second; meanwhile, and always, the workers' polling finds the work, so a
 * missed notification only costs latency.
 */
export function createPgWakeups(clientConfig: pg.ClientConfig, logger: Pick<Logger, 'warn'>): PgWakeups {
  const listeners = new Set<(queue: WakeQueue) => void>();
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const connect = async () => {
    if (closed || client) return;
    const next = new pg.Client(clientConfig);
    client = next;
    const lost = (err?: Error) => {
      if (client !== next) return;
      client = null;
      next.removeAllListeners();
      next.on('error', () => undefined);
      next.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ err: err?.message }, 'database notifications lost; polling until they are back');
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    next.on('notification', (message) => {
      const queue = CHANNELS[message.channel];
      if (queue) for (const listener of listeners) listener(queue);
    });
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(Object.keys(CHANNELS).map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (err) {
      lost(err as Error);
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      void connect();
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      current?.removeAllListeners();
      current?.on('error', () => undefined);
      await current?.end().catch(() => undefined);
    },
  };
}
