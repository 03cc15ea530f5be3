// Child processes of the benchmark (ceiling, sandbox, seeder, server) and what the runner observes of them
// from outside: readiness, /healthz, resident memory and CPU time from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = join(BENCH_DIR, '..');

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** performance.now() just before spawn: the origin of start-to-healthy. */
  spawnedAt: number;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** Resolves with the first stdout line that starts with `prefix` (the rest of the line, JSON-parsed). */
  waitForLine<T>(prefix: string, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', ...]. */
  nodeFlags?: string[];
  /** Echo the child's output (BENCH_VERBOSE=1). */
  verbose?: boolean;
  /** The directory the child runs in, which `entry` is relative to (default: this repository). */
  cwd?: string;
}

/**
 * Runs an entry as a child: a TypeScript one with `node --import tsx` (not the tsx CLI, which would put a second
 * process between us and the program: the pid we sample must be the program itself), a built .js one with plain
 * `node`, as production runs the server.
 */
/** Every child spawned by spawnTs that has not exited: the processes whose CPU is ours, not another job's. */
export const liveChildren = new Set<Child>();

/** This process and its live children. */
export const ourPids = (): number[] => [process.pid, ...[...liveChildren].map((c) => c.pid)];

export function spawnTs(name: string, entry: string, options: SpawnOptions = {}): Child {
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry], {
    cwd: options.cwd ?? REPO_DIR,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const take = (stream: NodeJS.ReadableStream, label: string) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        lines.push(`${label} ${line}`);
        if (lines.length > 60) lines.shift();
        if (options.verbose) process.stderr.write(`  [${name}] ${line}\n`);
        for (const waiter of [...waiters]) {
          if (label === 'out' && line.startsWith(waiter.prefix)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line.slice(waiter.prefix.length));
          }
        }
      }
    });
  };
  take(child.stdout!, 'out');
  take(child.stderr!, 'err');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const tail = () => lines.join('\n');

  const handle: Child = {
    name,
    pid: child.pid ?? -1,
    process: child,
    spawnedAt,
    tail,
    exited,
    waitForLine: <T>(prefix: string, timeoutMs: number) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no "${prefix}" line within ${timeoutMs} ms\n${tail()}`)), timeoutMs);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}) before "${prefix}"\n${tail()}`));
        });
        waiters.push({
          prefix,
          resolve: (rest) => {
            clearTimeout(timer);
            resolve(JSON.parse(rest) as T);
          },
        });
      }),
    stop: async (graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
  liveChildren.add(handle);
  void exited.then(() => liveChildren.delete(handle));
  return handle;
}

/** Polls GET `url` every 5 ms until it answers 200; returns ms since the child was spawned. */
export async function waitHealthy(child: Child, url: string, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let exitedEarly = false;
  void child.exited.then(() => (exitedEarly = true));
  while (performance.now() < deadline) {
    if (exitedEarly) throw new Error(`${child.name} exited before it was healthy\n${child.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`${child.name} not healthy at ${url} within ${timeoutMs} ms\n${child.tail()}`);
}

export interface MemoryStatus {
  rssMb: number;
  /** VmHWM: the kernel's record of the peak resident set since the process started. */
  peakRssMb: number;
}

export function memoryOf(pid: number): MemoryStatus | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** User + system CPU time of a process in seconds (from /proc/<pid>/stat, clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : null;
}

/** CPU seconds of this process's children that have exited (and were reaped): cutime + cstime. */
function reapedChildrenCpuSeconds(): number {
  const fields = statFields(process.pid);
  return fields ? (Number(fields[13]) + Number(fields[14])) / 100 : 0;
}

/** The fields of /proc/<pid>/stat from field 3 on (index 0 = field 3). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq, steal), from /proc/stat. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

export interface CpuShare {
  /** Cores (averaged over the interval) used by our processes: the runner and its children. */
  ownCores: number;
  /** Cores used by everything else on the machine: another job's load disturbs the figures. */
  foreignCores: number;
  /** CPU seconds each of our processes used over the interval. */
  secondsByPid: Map<number, number>;
}

/**
 * Measures CPU use over an interval: ours (runner + children) apart from the rest of the machine. Children may
 * start or exit within the interval (the background load does both): one born in it counts from zero, and one
 * that exited is counted through the runner's reaped-children time, less what it had used before the interval.
 */
export function startCpuMeter(pids: () => number[]): () => CpuShare {
  const t0 = performance.now();
  const busy0 = machineBusySeconds();
  const reaped0 = reapedChildrenCpuSeconds();
  const before = new Map(pids().map((pid) => [pid, cpuSecondsOf(pid) ?? 0]));
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const secondsByPid = new Map<number, number>();
    for (const pid of new Set([...before.keys(), ...pids()])) {
      const now = cpuSecondsOf(pid);
      if (now !== null) secondsByPid.set(pid, Math.max(0, now - (before.get(pid) ?? 0)));
    }
    const exitedBefore = [...before].reduce((sum, [pid, used]) => (secondsByPid.has(pid) ? sum : sum + used), 0);
    const reaped = Math.max(0, reapedChildrenCpuSeconds() - reaped0 - exitedBefore);
    const own = [...secondsByPid.values()].reduce((a, b) => a + b, 0) + reaped;
    const busy = machineBusySeconds() - busy0;
    return { ownCores: own / seconds, foreignCores: Math.max(0, busy - own) / seconds, secondsByPid };
  };
}

/**
 * Waits (at most `maxMs`) until the rest of the machine has used less than `maxForeignCores` for a second:
 * other jobs on a shared 2-core machine (a type check, a test run) would otherwise be measured as our slowness.
 * Returns the foreign load seen last.
 */
export async function waitForQuietMachine(pids: () => number[], maxForeignCores: number, maxMs: number): Promise<number> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const meter = startCpuMeter(pids);
    await sleep(1000);
    const { foreignCores } = meter();
    if (foreignCores <= maxForeignCores || performance.now() > deadline) return foreignCores;
  }
}
