/**
 * An in-process nudge from the action route to the callback-completions worker of the same server, so that a
 * BLOCKed Send to OpenCX AI starts at once rather than at the next poll. Keyed by the store object (the route and
 * the workers of one server share it; tests with their own store never see each other's). Polling stays the
 * safety net, and covers rows written by another process.
 */
const listeners = new WeakMap<object, Set<() => void>>();

export function wakeCallbackCompletions(store: object): void {
  listeners.get(store)?.forEach((listener) => listener());
}

export function onCallbackCompletions(store: object, listener: () => void): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
