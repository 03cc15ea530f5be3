// Version B of the A/B mode: a git ref checked out beside this tree (bench/.ab/<short sha>, gitignored, reused while
// it stays at that commit), with its own dependencies and its own server bundle built by its own build script. Its
// bench/servers/seed.ts seeds its databases later, run in that checkout (bench/lib/harness.ts).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEED_ENTRY, SERVER_ENTRY, type ServerVersion } from './harness';
import { BENCH_DIR, REPO_DIR } from './processes';

/** Written into the checkout's node_modules once `npm ci` succeeded there. */
const INSTALLED_MARK = join('node_modules', '.opencx-bench-ab-installed');

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

function git(args: string[], cwd = REPO_DIR): string {
  const result = run('git', args, cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout.trim();
}

const tail = (result: SpawnSyncReturns<string>, lines = 30) =>
  `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-lines).join('\n');

/**
 * Checks out `ref`, installs its dependencies and builds its bench server. Throws with what failed and where; the
 * checkout stays, so that a rerun reuses what was done.
 */
export function prepareRefVersion(ref: string, log: (line: string) => void): ServerVersion & { ref: string; sha: string } {
  const resolved = run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], REPO_DIR);
  if (resolved.status !== 0) throw new Error(`--against ${ref}: not a commit of this repository`);
  const sha = resolved.stdout.trim();
  const short = git(['rev-parse', '--short', sha]);
  const dir = join(BENCH_DIR, '.ab', short);
  const shown = relative(REPO_DIR, dir);

  if (existsSync(dir)) {
    let head = '';
    try {
      head = git(['rev-parse', 'HEAD'], dir);
    } catch {
      // not a checkout (an interrupted `git worktree add`): made again below
    }
    if (head !== sha) {
      log(`  ${shown} is not a checkout of ${short}: removing it`);
      run('git', ['worktree', 'remove', '--force', dir], REPO_DIR);
      rmSync(dir, { recursive: true, force: true });
      git(['worktree', 'prune']);
    }
  }
  if (!existsSync(dir)) {
    log(`  checking out ${ref} (${short}) into ${shown}`);
    git(['worktree', 'add', '--detach', dir, sha]);
  } else {
    log(`  reusing ${shown} (${short})`);
  }

  const missing = ['package-lock.json', 'scripts/build.ts', 'bench/servers/server.ts', SEED_ENTRY].filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new Error(`${ref} (${short}) cannot be benchmarked against: it has no ${missing.join(', ')}`);
  if (!/export\s+async\s+function\s+buildServerBundle\b/.test(readFileSync(join(dir, 'scripts', 'build.ts'), 'utf8'))) {
    throw new Error(
      `${ref} (${short}) has no buildServerBundle in scripts/build.ts (added in 4043d4d): its server cannot be built as production ` +
        'runs it, and one run through tsx would not compare like for like',
    );
  }

  if (!existsSync(join(dir, INSTALLED_MARK))) {
    log(`  installing the dependencies of ${short} (npm ci --prefer-offline in ${shown}; a few minutes)`);
    const install = run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    if (install.status !== 0) {
      throw new Error(
        `npm ci --prefer-offline in ${shown} failed (${install.error?.message ?? `exit code ${install.status}`}). ` +
          `Version B (${short}) needs its own dependencies to build its server and seed its databases. ` +
          `Fix what npm says below (e.g. run \`npm ci\` once in ${shown} with network access to fill the cache), then rerun: ` +
          `the checkout is reused.\n${tail(install)}`,
      );
    }
    writeFileSync(join(dir, INSTALLED_MARK), `${sha}\n`);
  }

  // The ref's own build of its own bench entry, in its checkout (so that its imports resolve to its node_modules);
  // and its own production node flags when its build script exports them.
  log(`  building the server of ${short} (its scripts/build.ts, its bench/servers/server.ts)`);
  const script =
    "const m = await import(process.env.AB_BUILD_MODULE); await m.buildServerBundle(process.env.AB_ENTRY, process.env.AB_OUT);" +
    "process.stdout.write('AB_BUILT ' + JSON.stringify({ nodeFlags: typeof m.productionNodeFlags === 'function' ? m.productionNodeFlags() : null }) + '\\n');";
  const build = run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], dir, {
    AB_BUILD_MODULE: pathToFileURL(join(dir, 'scripts', 'build.ts')).href,
    AB_ENTRY: join(dir, 'bench', 'servers', 'server.ts'),
    AB_OUT: join(dir, SERVER_ENTRY),
  });
  const built = /^AB_BUILT (.*)$/m.exec(build.stdout ?? '');
  if (build.status !== 0 || !built) throw new Error(`building the server of ${short} in ${shown} failed\n${tail(build)}`);
  const { nodeFlags } = JSON.parse(built[1]!) as { nodeFlags: string[] | null };
  if (!nodeFlags) throw new Error(`${short}'s scripts/build.ts has no productionNodeFlags: cannot run its server as its production does`);

  return { label: 'B', ref, sha, commit: short, repoDir: dir, serverEntry: SERVER_ENTRY, seedEntry: SEED_ENTRY, nodeFlags };
}
