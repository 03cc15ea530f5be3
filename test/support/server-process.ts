// The real server as a separate Node process (`node --import tsx`), for tests that kill it (SIGKILL leaves no
// chance to clean up) or run two of them on one database file. See server-process-main.ts for the child side.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BackgroundWorkOptions } from '@opencx/server/workers';
import { buildServerBundle, productionNodeFlags } from '../../scripts/build';
import { freePort } from './free-port';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = join(REPO, 'test/support/server-process-main.ts');
// Bundles must sit inside the repository, so that their imports of npm packages find node_modules.
const ARTIFACTS = join(REPO, 'test-artifacts');
const OUTPUT_CAP = 64 * 1024;

export interface ServerProcessOptions {
  /** The server's environment (see serverProcessEnv); PORT is set here. */
  env: Record<string, string>;
  /** Default: a free loopback port. */
  port?: number;
  workers?: BackgroundWorkOptions;
  clockOffsetMs?: number;
  /** The per-portal HubSpot budget (StartOptions.hubspotRateLimit), shrunk so that a test reaches it. */
  hubspotRateLimit?: { maxRequests: number; intervalMs: number; safetyMarginMs?: number };
  startTimeoutMs?: number;
  /**
   * Run it as production does (`npm run start:production`): compiled into one file and started by plain node with
   * the production heap flags, for figures that must match the README's. Default: through tsx.
   */
  compiled?: boolean;
}

/** process.memoryUsage() of the server process, taken right after a full garbage collection. */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** The child's stdout and stderr so far (the tail), for failure messages. */
  output(): string;
  /** Set once the process has exited, however. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Moves the server's clock forward (e.g. past leases a killed process left); resolves once the child did. */
  advanceClock(ms: number): Promise<void>;
  /** SIGKILL: no shutdown code runs, like a crash or the OOM killer. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful: in-flight requests and the current worker batch finish), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** The process's memory after a full GC (asked for with SIGUSR2; see server-process-main.ts). */
  memory(): Promise<MemorySample>;
  /** The resident set size now, read by the kernel (no GC, no help from the process), in bytes. */
  rss(): number;
}

/** The environment of a server on `databasePath` talking to the sandbox at `sandboxUrl` as HubSpot. */
export function serverProcessEnv(input: {
  databasePath: string;
  sandboxUrl: string;
  app: { clientId: string; clientSecret: string; appId: number };
  /** Base64 key; every process on one database must share it. */
  tokenEncryptionKey: string;
  publicBaseUrl?: string;
  logLevel?: string;
  /** PostgreSQL instead of the SQLite file (several processes then share that database). */
  databaseUrl?: string;
}): Record<string, string> {
  return {
    DATABASE_PATH: input.databasePath,
    TOKEN_ENCRYPTION_KEY: input.tokenEncryptionKey,
    LOG_LEVEL: input.logLevel ?? 'error',
    HUBSPOT_CLIENT_ID: input.app.clientId,
    HUBSPOT_CLIENT_SECRET: input.app.clientSecret,
    HUBSPOT_APP_ID: String(input.app.appId),
    HUBSPOT_API_BASE_URL: input.sandboxUrl,
    HUBSPOT_AUTHORIZE_URL: `${input.sandboxUrl}/oauth/authorize`,
    ...(input.publicBaseUrl ? { PUBLIC_BASE_URL: input.publicBaseUrl } : {}),
    ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl } : {}),
  };
}

export const newEncryptionKey = () => randomBytes(32).toString('base64');

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const start = { workers: options.workers, clockOffsetMs: options.clockOffsetMs, hubspotRateLimit: options.hubspotRateLimit };
  if (options.compiled) mkdirSync(ARTIFACTS, { recursive: true });
  const bundleDir = options.compiled ? mkdtempSync(join(ARTIFACTS, 'server-process-')) : null;
  if (bundleDir) await buildServerBundle(ENTRY, join(bundleDir, 'main.js'));
  // --expose-gc only lets memory() collect before measuring; it changes nothing else.
  const args = bundleDir ? [...productionNodeFlags(), '--expose-gc', join(bundleDir, 'main.js')] : ['--expose-gc', '--import', 'tsx', ENTRY];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...options.env, PORT: String(port), OPENCX_TEST_START: JSON.stringify(start) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_CAP);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
      resolveExit();
    });
  });
  const memoryWaiters: ((sample: MemorySample) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const sample = /^OPENCX_TEST_MEMORY (\{.*\})$/.exec(line)?.[1];
    if (sample) memoryWaiters.shift()?.(JSON.parse(sample) as MemorySample);
  });

  const url = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not start in time:\n${output}`)), options.startTimeoutMs ?? 20_000);
    const onData = () => {
      const match = /OPENCX_TEST_READY (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolveReady(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server process exited while starting (${JSON.stringify(exitInfo)}):\n${output}`));
    });
  });

  const waitExit = async (timeoutMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  };
  let advances = 0;
  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    exit: () => exitInfo,
    async advanceClock(ms) {
      const ack = `OPENCX_TEST_CLOCK ${++advances}`;
      child.stdin!.write(`advance ${ms}\n`);
      const deadline = Date.now() + 5_000;
      while (!output.includes(ack)) {
        if (exitInfo || Date.now() > deadline) throw new Error(`the server process did not move its clock:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async kill9() {
      if (exitInfo) return;
      child.kill('SIGKILL');
      await exited;
    },
    memory() {
      return new Promise<MemorySample>((resolveSample) => {
        memoryWaiters.push(resolveSample);
        child.kill('SIGUSR2');
      });
    },
    rss: () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    async stop(timeoutMs = 10_000) {
      if (exitInfo) return;
      child.kill('SIGTERM');
      await waitExit(timeoutMs);
      if (!exitInfo) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
