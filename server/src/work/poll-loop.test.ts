import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLifecycle, type Lifecycle } from '../lifecycle';
import { createSilentLogger } from '../logger';
import { startPollLoop } from './poll-loop';

const logger = createSilentLogger();
let lifecycle: Lifecycle;
afterEach(async () => lifecycle?.shutdown());

describe('startPollLoop', () => {
  it('ticks at once, again at once while there is more, then every interval', async () => {
    lifecycle = createLifecycle(logger);
    const more = [true, true, false];
    const tick = vi.fn(async () => ({ more: more.shift() ?? false }));
    startPollLoop({ lifecycle, logger }, 'test', 60_000, tick);
    await vi.waitFor(() => expect(tick).toHaveBeenCalledTimes(3));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(tick).toHaveBeenCalledTimes(3); // the next one is a minute away
  });

  it('runs a woken tick without waiting for the interval, also when woken mid-tick', async () => {
    lifecycle = createLifecycle(logger);
    let release!: () => void;
    const tick = vi.fn(() => (tick.mock.calls.length === 1 ? new Promise<{ more: boolean }>((r) => (release = () => r({ more: false }))) : Promise.resolve({ more: false })));
    const loop = startPollLoop({ lifecycle, logger }, 'test', 60_000, tick);
    await vi.waitFor(() => expect(tick).toHaveBeenCalledTimes(1));
    loop.wake(); // while the first tick runs
    release();
    await vi.waitFor(() => expect(tick).toHaveBeenCalledTimes(2));
    loop.wake();
    await vi.waitFor(() => expect(tick).toHaveBeenCalledTimes(3));
  });

  it('keeps going after a failing tick, and shutdown waits for the running tick', async () => {
    const errors = vi.spyOn(logger, 'error');
    lifecycle = createLifecycle(logger);
    const order: string[] = [];
    let calls = 0;
    startPollLoop({ lifecycle, logger }, 'test', 5, async () => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('tick done');
      return { more: false };
    });
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2));
    await lifecycle.shutdown();
    order.push('stopped');
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ worker: 'test' }), expect.any(String));
    expect(order.at(-1)).toBe('stopped');
    expect(order.at(-2)).toBe('tick done');
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(after);
  });
});
