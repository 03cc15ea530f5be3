import type { Timestamp } from '@opencx/shared';
import type { Store } from '../store/store';
import type { NewInboxEvent } from '../store/webhook-inbox.store';

interface Waiting {
  rows: readonly NewInboxEvent[];
  resolve(stored: number): void;
  reject(err: unknown): void;
}

export interface InboxWriter {
  /** Resolves once the rows are committed (how many were new); each caller still waits for its own commit. */
  write(rows: readonly NewInboxEvent[]): Promise<number>;
}

/**
 * Group commit for the intake: batches of webhook requests that arrive together (HubSpot sends up to 10 at a time
 * per portal, and many portals) are written in one transaction at the end of the event-loop turn, one statement
 * per batch, instead of one commit per request. Nobody is answered before their rows are committed, so the
 * durability promise is unchanged; when the group's commit fails, each batch is committed alone, so a failing one
 * fails only its own request. One per server (createServices), so that concurrent requests share it.
 */
export function createInboxWriter(deps: { store: Store; clock: { now(): Timestamp } }): InboxWriter {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const group = waiting;
    waiting = [];
    try {
      const stored = await deps.store.inbox.insertBatches(group.map((w) => w.rows), deps.clock.now());
      group.forEach((w, i) => w.resolve(stored[i] ?? 0));
    } catch (err) {
      if (group.length === 1) group[0]!.reject(err);
      else await commitEachAlone(group);
    }
  };
  // The group's transaction rolled back whole, so one bad batch would fail every request it was committed with:
  // each is tried again in a transaction of its own, and only the bad one fails. Nothing was stored by the failed
  // attempt, and a row stored twice is deduplicated anyway.
  const commitEachAlone = async (group: readonly Waiting[]) => {
    for (const w of group) {
      try {
        const [stored] = await deps.store.inbox.insertBatches([w.rows], deps.clock.now());
        w.resolve(stored ?? 0);
      } catch (err) {
        w.reject(err);
      }
    }
  };
  return {
    write: (rows) =>
      new Promise<number>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void flush());
        waiting.push({ rows, resolve, reject });
      }),
  };
}
