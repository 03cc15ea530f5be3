import { expect } from 'vitest';
import type { Stack } from './stack';

/** Everything settled: the sandbox's deliveries, the server's inbox and its effects outbox. */
export async function waitUntilSettled(stack: Stack, timeout = 10_000): Promise<void> {
  const { store } = stack.server.deps;
  await expect
    .poll(async () => {
      await stack.sandbox.idle();
      const inbox = await store.inbox.countByStatus();
      const effects = Object.values(await store.outbox.countUnfinished()).reduce((a, b) => a + b, 0);
      return inbox.pending + inbox.processing + effects;
    }, { timeout })
    .toBe(0);
}
