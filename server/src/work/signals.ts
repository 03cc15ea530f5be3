/**
 * In-process wake-ups from the code that writes work (the webhook intake, whatever enqueues effects, the action
 * route) to the workers of the same server, so that new work starts at once rather than at the next poll. One per
 * server, built in createServices and carried in the dependencies: tests with their own deps never see each
 * other's signals. Polling stays the safety net (and covers work written by another process).
 */
export type WorkChannel = 'inbox' | 'effects' | 'callbackCompletions';

export interface WorkSignals {
  wake(channel: WorkChannel): void;
  /** Returns the unsubscribe. */
  on(channel: WorkChannel, listener: () => void): () => void;
}

export function createWorkSignals(): WorkSignals {
  const listeners: Record<WorkChannel, Set<() => void>> = { inbox: new Set(), effects: new Set(), callbackCompletions: new Set() };
  return {
    wake: (channel) => listeners[channel].forEach((listener) => listener()),
    on: (channel, listener) => {
      listeners[channel].add(listener);
      return () => listeners[channel].delete(listener);
    },
  };
}
