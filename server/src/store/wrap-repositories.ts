import type { Repositories } from './store';

export type Invoke = <R>(call: () => Promise<R>) => Promise<R>;

/** The same repositories, each method routed through `invoke` (the queue outside, the open-check inside). */
export function wrapRepositories(repositories: Repositories, invoke: Invoke): Repositories {
  const wrapped: Record<string, unknown> = {};
  for (const [name, repository] of Object.entries(repositories)) {
    const methods: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(repository as Record<string, unknown>)) {
      if (typeof fn !== 'function') continue;
      methods[method] = (...args: unknown[]) => invoke(() => fn.apply(repository, args) as Promise<unknown>);
    }
    wrapped[name] = methods;
  }
  return wrapped as unknown as Repositories;
}
