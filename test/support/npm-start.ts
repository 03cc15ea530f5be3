// `npm start` (scripts/start.ts) as the operator runs it, from the repository root, with everything it prints
// (stdout and stderr, the server's log included) kept for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NpmStart {
  /** Every line printed so far, stdout and stderr interleaved as they came. */
  readonly lines: string[];
  /** Resolves with the first line (past or future) matching `pattern`; rejects if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

export function npmStart(env: Record<string, string>): NpmStart {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiters) wake();
    });
  }
  const exited = once(child, 'exit');
  return {
    lines,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of lines) {
            const match = pattern.exec(line);
            if (match) return done(() => resolve(match));
          }
          if (child.exitCode !== null) done(() => reject(new Error(`npm start exited before printing ${pattern}:\n${lines.join('\n')}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`npm start did not print ${pattern}:\n${lines.join('\n')}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        void exited.then(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
