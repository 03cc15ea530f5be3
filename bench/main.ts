// `npm run bench [-- options]`. Without options: the three parts in sequence, each its own process, stopping at the
// first that fails (bench/run.ts, bench/engines.ts, bench/retention.ts), as `a && b && c` would. With
// `--against <ref>`: the A/B mode (bench/ab.ts). npm appends `-- options` to the end of the script, hence this entry.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './lib/processes';

const PARTS = ['bench/run.ts', 'bench/engines.ts', 'bench/retention.ts'];
const USAGE = `usage: npm run bench [-- --against <git ref> [--rounds N] [--only config,…] [--scenarios name,…]]

  (no options)          the full benchmark: bench/run.ts, bench/engines.ts, bench/retention.ts
  --against <ref>       A/B mode: this tree (A) against <ref> (B), scenarios alternating A B / B A
  --rounds N            rounds per scenario in A/B mode (default 5, at least 2)
  --only a,b            configurations (as BENCH_ONLY; default in A/B mode: main)
  --scenarios a,b       scenarios (as BENCH_SCENARIOS; default: all of the configuration's)

BENCH_QUICK=1 makes either a short smoke run. See bench/README.md.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Runs one part as `tsx <part>` would from the npm script; resolves with its exit code (128 + n for signal n). */
function runPart(part: string): Promise<number> {
  const child = spawn(join(REPO_DIR, 'node_modules', '.bin', 'tsx'), [part], { cwd: REPO_DIR, stdio: 'inherit' });
  // Ctrl-C reaches the part through the terminal's process group: wait for it to clean up and exit.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  const forward = () => child.kill('SIGTERM');
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`cannot run ${part}: ${err.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

async function runAll(): Promise<void> {
  for (const part of PARTS) {
    const code = await runPart(part);
    if (code !== 0) process.exit(code);
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  await runAll();
} else {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    const match = /^--(against|rounds|only|scenarios)(?:=(.*))?$/.exec(arg);
    if (!match) fail(`unknown argument: ${arg}`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') fail(`${arg} needs a value`);
    options.set(match[1]!, value);
  }
  const against = options.get('against');
  if (!against) fail('options other than --against only apply to the A/B mode: give --against <git ref>');
  const rounds = Number(options.get('rounds') ?? 5);
  if (!Number.isInteger(rounds) || rounds < 2) fail(`--rounds must be a whole number of at least 2 (got ${options.get('rounds')})`);
  if (options.has('only')) process.env['BENCH_ONLY'] = options.get('only');
  if (options.has('scenarios')) process.env['BENCH_SCENARIOS'] = options.get('scenarios');
  // Loaded only here: the sequence above needs none of the harness.
  const { runAb } = await import('./ab');
  runAb({ against, rounds });
}
