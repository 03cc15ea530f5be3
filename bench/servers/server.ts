// The real server as the benchmark runs it: the production startServer with a configuration from the
// environment the runner sets (temporary SQLite file, the sandbox as HubSpot, the signer's app credentials).
// The only addition is an event-loop delay monitor the runner reads through SIGUSR2, outside the product code.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '@opencx/server/config';
import { startServer } from '@opencx/server/start-server';

const server = await startServer(loadConfig(process.env));
process.stdout.write(`BENCH_READY ${JSON.stringify({ url: server.url })}\n`);

// SIGUSR2: print the event-loop delay since the last SIGUSR2 (ms beyond the 1 ms sampling interval) and the heap
// now (MB), then start over.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - 1) * 100) / 100);
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  const memory = process.memoryUsage();
  const line = {
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
    heapUsedMb: mb(memory.heapUsed),
    heapTotalMb: mb(memory.heapTotal),
    externalMb: mb(memory.external),
  };
  process.stdout.write(`BENCH_LOOP_DELAY ${JSON.stringify(line)}\n`);
  delay.reset();
});

// SIGTERM: the graceful close the product does, given BENCH_STOP_GRACE_MS (the benchmark does not wait out a
// drain timeout between scenarios); the runner records whether it finished. process.exit, not a signal death,
// so that --cpu-prof writes its profile.
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  const started = performance.now();
  const report = (closed: boolean) => {
    process.stdout.write(`BENCH_STOPPED ${JSON.stringify({ closed, ms: Math.round(performance.now() - started) })}\n`);
    process.exit(0);
  };
  setTimeout(() => report(false), Number(process.env['BENCH_STOP_GRACE_MS'] ?? 1000)).unref();
  server.close().then(
    () => report(true),
    (err: unknown) => {
      process.stderr.write(`close failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
