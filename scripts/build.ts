// `npm run build`: the production server as one JavaScript file, server/dist/main.js (with a source map), run by
// plain `node` instead of through tsx. tsx compiles on load in a worker thread that stays resident: an idle
// server is about 130 MB RSS through tsx and 80 MB compiled (bench/README.md, "Memory").
//
// Only the workspace packages (@opencx/*, TypeScript sources) are bundled; every npm dependency stays an import
// resolved from node_modules at run time, so better-sqlite3's native addon and the SDKs load exactly as they
// would unbundled.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = join(REPO_DIR, 'server', 'dist', 'main.js');

/**
 * Bundles a TypeScript entry of the server into `outfile`. The output must sit inside the repository, so that
 * its imports of npm packages find node_modules.
 */
export async function buildServerBundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(REPO_DIR, 'server', 'tsconfig.json'),
    logLevel: 'warning',
    plugins: [
      {
        name: 'npm-dependencies-stay-external',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@opencx/') ? undefined : { external: true }));
        },
      },
    ],
  });
}

/**
 * `npm run start:production` (package.json): the environment it sets and its node flags, for whatever must run the
 * server exactly as production does (the benchmark, the bundle's test). Its heap limits are what keep peak RSS near
 * 150 MB under saturating load instead of 210-220 MB; MALLOC_ARENA_MAX=2 keeps glibc from giving each thread
 * (V8's GC helpers, libuv's pool) an arena of its own, which left 5-6 MB more resident under the benchmark's reply
 * load (bench/README.md, "Memory").
 */
export function productionCommand(): { env: Record<string, string>; nodeFlags: string[] } {
  const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = pkg.scripts['start:production'];
  const match = command ? /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)node((?:\s+--[\w-]+(?:=\S+)?)*)\s+server\/dist\/main\.js$/.exec(command) : null;
  if (!match) throw new Error(`package.json start:production is not "[VAR=value ...] node [--flags] server/dist/main.js": ${command}`);
  const env = Object.fromEntries(match[1]!.trim().split(/\s+/).filter(Boolean).map((assignment) => assignment.split('=', 2) as [string, string]));
  return { env, nodeFlags: match[2]!.trim().split(/\s+/).filter(Boolean) };
}

/** The node flags of `npm run start:production`. */
export function productionNodeFlags(): string[] {
  return productionCommand().nodeFlags;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServerBundle(join(REPO_DIR, 'server', 'src', 'main.ts'), SERVER_BUNDLE);
  process.stdout.write(`built ${SERVER_BUNDLE}\n`);
}
