// Counts queued and in-flight outbound work (webhook batches, retries waiting on a timer, action calls) so
// `sandbox.idle()` can resolve exactly when nothing is left, and `close()` can cancel what remains.
export class WorkTracker {
  private pending = 0;
  private waiters: (() => void)[] = [];
  private timers = new Map<ReturnType<typeof setTimeout>, () => void>();

  /** `onSettled` runs after each unit of work: a delivery or an action call has recorded its outcome by then. */
  constructor(private readonly onSettled: () => void = () => {}) {}

  /** Marks one unit of work as started; call the returned function once when it ends. */
  begin(): () => void {
    this.pending += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending -= 1;
      this.onSettled();
      if (this.pending === 0) this.flushWaiters();
    };
  }

  track<T>(work: Promise<T>): Promise<T> {
    const end = this.begin();
    return work.finally(end);
  }

  /** A timer that counts as pending work until its callback has run (work it starts is begun before this ends). */
  schedule(ms: number, run: () => void): void {
    const end = this.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        run();
      } finally {
        end();
      }
    }, ms);
    this.timers.set(timer, end);
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops every scheduled timer and releases idle() waiters (used by close and reset). */
  cancelTimers(): void {
    const timers = [...this.timers];
    this.timers.clear();
    for (const [timer, end] of timers) {
      clearTimeout(timer);
      end();
    }
  }

  releaseWaiters(): void {
    this.flushWaiters();
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
