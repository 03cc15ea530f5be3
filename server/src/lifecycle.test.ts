import { expect, it, vi } from 'vitest';
import { createLifecycle } from './lifecycle';
import { createSilentLogger } from './logger';

it('aborts the signal, then stops workers last-registered first, once', async () => {
  const lifecycle = createLifecycle(createSilentLogger());
  const order: string[] = [];
  lifecycle.onShutdown('inbox', () => {
    order.push(`inbox (aborted: ${lifecycle.signal.aborted})`);
  });
  lifecycle.onShutdown('outbox', async () => {
    order.push('outbox');
  });
  await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);
  expect(order).toEqual(['outbox', 'inbox (aborted: true)']);
  expect(() => lifecycle.onShutdown('late', () => {})).toThrow(/already begun/);
});

it('logs a worker that fails or hangs and still stops the others', async () => {
  const logger = createSilentLogger();
  const error = vi.spyOn(logger, 'error');
  const lifecycle = createLifecycle(logger, 50);
  const stopped = vi.fn();
  lifecycle.onShutdown('survivor', stopped);
  lifecycle.onShutdown('hangs', () => new Promise(() => {}));
  lifecycle.onShutdown('throws', () => {
    throw new Error('cannot stop');
  });
  await lifecycle.shutdown();
  expect(stopped).toHaveBeenCalledOnce();
  expect(error).toHaveBeenCalledTimes(2);
});
