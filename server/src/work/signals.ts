/**
 * In-process wake-ups between the intake (and whatever enqueues effects) and the workers of the same server, so
 * that new work starts at once rather than at the next poll. Keyed by the store object: the route and the workers
 * of one server share it, tests with their own store never see each other's signals. Polling stays the safety
 * net (and covers work written by another process).
 */
export interface WorkSignals {
  wakeInbox(): void;
  wakeEffects(): void;
  onInbox(listener: () => void): () => void;
  onEffects(listener: () => void): () => void;
}

const registry = new WeakMap<object, WorkSignals>();

function createSignals(): WorkSignals {
  const inbox = new Set<() => void>();
  const effects = new Set<() => void>();
  const subscribe = (set: Set<() => void>, listener: () => void) => {
    set.add(listener);
    return () => set.delete(listener);
  };
  return {
    wakeInbox: () => inbox.forEach((listener) => listener()),
    wakeEffects: () => effects.forEach((listener) => listener()),
    onInbox: (listener) => subscribe(inbox, listener),
    onEffects: (listener) => subscribe(effects, listener),
  };
}

export function workSignalsFor(store: object): WorkSignals {
  let signals = registry.get(store);
  if (!signals) registry.set(store, (signals = createSignals()));
  return signals;
}
