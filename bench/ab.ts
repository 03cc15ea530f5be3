// `npm run bench -- --against <ref>`: this tree (A) against another commit (B) in one run on one machine. Each
// scenario runs R rounds, each round A and B on fresh servers, the order alternating (A B, B A, …) so that a drift
// of the machine falls on both alike. Writes bench/results/ab/<stamp>-<A>-vs-<B>.{md,json}. See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { abMarkdown, compareScenario, type AbConfig, type AbResults, type AbRun, type AbSide } from './lib/ab-report';
import { prepareRefVersion } from './lib/ab-version';
import { BenchHarness, buildCurrentServer, currentVersion, describe, machineInfo, type Template } from './lib/harness';
import { BENCH_DIR, REPO_DIR } from './lib/processes';
import { loadSettings } from './lib/settings';

export interface AbOptions {
  /** The git ref of version B. */
  against: string;
  rounds: number;
}

export function runAb(options: AbOptions): void {
  const settings = loadSettings(process.env);
  // The main configuration unless BENCH_ONLY names others; its scenarios, or those BENCH_SCENARIOS names.
  if (!process.env['BENCH_ONLY']) settings.configs = settings.configs.filter((c) => c.name === 'main');
  // Issue 21's reply scenarios only when named: the calls per event are counts (a plain run compares them with
  // their budgets), and a ref from before them seeds no AI sender, so its replies never come.
  if (!process.env['BENCH_SCENARIOS']) {
    for (const c of settings.configs) c.scenarios = c.scenarios.filter((s) => s !== 'reply-latency' && s !== 'hubspot-calls');
  }
  const bench = new BenchHarness(settings);
  const { log, started } = bench;

  bench.run(async () => {
    log(`OpenCX A/B benchmark (${settings.mode}): this tree against ${options.against}, ${options.rounds} rounds; ` +
      `${settings.configs.map((c) => `${c.label}: ${c.scenarios.join(', ')}`).join('; ')}`);
    if (!settings.configs.some((c) => c.scenarios.length)) throw new Error('no scenario selected (BENCH_ONLY / BENCH_SCENARIOS)');
    const b = prepareRefVersion(options.against, log);
    await buildCurrentServer();
    const a = currentVersion('A');
    if (a.commit === b.commit) log(`  note: A and B are the same commit (${a.commit}): the ratios measure the noise alone`);
    const versions = { A: a, B: b };
    const env = await bench.startEnvironment({ ceiling: false });

    const configs: AbConfig[] = [];
    for (const spec of settings.configs) {
      log(`\n${spec.label}`);
      const templates: Record<AbSide, Template> = {
        A: await bench.seedTemplate(a, spec),
        B: await bench.seedTemplate(b, spec),
      };
      log(`  seeded: A in ${Math.round(templates.A.seed.ms)} ms, B in ${Math.round(templates.B.seed.ms)} ms`);
      const config: AbConfig = { spec, seeds: { A: templates.A.seed, B: templates.B.seed }, scenarios: [] };
      for (const name of spec.scenarios) {
        const runs: AbRun[] = [];
        for (let round = 1; round <= options.rounds; round++) {
          const order: AbSide[] = round % 2 === 1 ? ['A', 'B'] : ['B', 'A'];
          for (const [i, side] of order.entries()) {
            const result = await bench.measureScenario(env, templates[side], name);
            runs.push({ round, side, position: i + 1, result });
            log(`  ${name} round ${round} ${side} (${versions[side].commit}): ${describe(result)}; other load ${(result.foreignCores ?? 0).toFixed(2)} cores`);
          }
        }
        config.scenarios.push(compareScenario(name, runs, options.rounds));
      }
      bench.dropTemplate(templates.A);
      bench.dropTemplate(templates.B);
      configs.push(config);
    }

    const { configs: _configs, ...runSettings } = settings;
    const finished = new Date();
    const results: AbResults = {
      version: 1,
      kind: 'ab',
      mode: settings.mode,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationS: (finished.getTime() - started.getTime()) / 1000,
      machine: machineInfo(),
      settings: runSettings,
      rounds: options.rounds,
      a: { commit: a.commit, ref: 'working tree', repoDir: '.', nodeFlags: a.nodeFlags },
      b: { commit: b.commit, ref: b.ref, repoDir: relative(REPO_DIR, b.repoDir), nodeFlags: b.nodeFlags },
      configs,
    };
    const md = abMarkdown(results);
    // Smoke runs are not results: they go to the gitignored quick/ directory.
    const dir = join(BENCH_DIR, 'results', ...(settings.mode === 'quick' ? ['quick', 'ab'] : ['ab']));
    mkdirSync(dir, { recursive: true });
    const stamp = started.toISOString().replace(/:/g, '-').replace(/\..*$/, '');
    const base = join(dir, `${stamp}-${a.commit.replace(/ \+ uncommitted changes$/, '-dirty').replace(/[^\w.-]+/g, '-')}-vs-${b.commit}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${base}.md`, md);
    process.stdout.write(`\n${md}\n`);
    log(`results: ${relative(process.cwd(), base)}.md (and .json)`);
  });
}
