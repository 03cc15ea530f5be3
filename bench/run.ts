// `npm run bench`: the real server (on a temporary SQLite file, the HubSpot sandbox as HubSpot) and a bare Hono
// hello-world, each in its own process, driven by autocannon from this process over loopback. Prints every figure
// with its target and writes bench/results/latest.{json,md} plus a dated copy. See bench/README.md.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runLoad } from './lib/load';
import { BENCH_DIR } from './lib/processes';
import { profileMarkdown, summariseProfile } from './lib/profile';
import { evaluateTargets, resultsMarkdown, type ConfigResult, type Results, type ScenarioResult } from './lib/report';
import { loadSettings, type ConfigSpec, type ScenarioName } from './lib/settings';
import { BenchHarness, buildCurrentServer, currentVersion, describe, fmt, machineInfo, type Environment, type ServerVersion } from './lib/harness';

const settings = loadSettings(process.env);
const bench = new BenchHarness(settings);
const { log, started } = bench;
const resultsDir = join(BENCH_DIR, 'results', ...(settings.mode === 'quick' ? ['quick'] : settings.partial ? ['partial'] : []));

async function runConfig(env: Environment, version: ServerVersion, spec: ConfigSpec): Promise<ConfigResult> {
  log(`\n${spec.label}`);
  const template = await bench.seedTemplate(version, spec);
  log(`  seeded in ${fmt(template.seed.ms)} ms (${template.seed.databaseMb.toFixed(1)} MB)`);
  const result: ConfigResult = { spec, seed: template.seed, startToHealthyMs: null, peakRssMb: null, scenarios: [] };
  for (const name of spec.scenarios) {
    const scenario = await bench.measureScenario(env, template, name);
    result.scenarios.push(scenario);
    log(`  ${scenario.label}: ${describe(scenario)}`);
  }
  const starts = result.scenarios.map((s) => s.startToHealthyMs).filter((n): n is number => typeof n === 'number');
  result.startToHealthyMs = starts.length ? starts.sort((a, b) => a - b)[Math.floor(starts.length / 2)]! : null;
  const peaks = result.scenarios.map((s) => s.peakRssMb).filter((n): n is number => typeof n === 'number');
  result.peakRssMb = peaks.length ? Math.max(...peaks) : null;
  log(`  start to healthy (median) ${fmt(result.startToHealthyMs ?? NaN)} ms, peak RSS ${fmt(result.peakRssMb ?? NaN)} MB`);
  bench.dropTemplate(template);
  return result;
}

/** Profiles the scenario behind each missed target (or those in BENCH_PROFILE) on a fresh main configuration. */
async function profileMisses(env: Environment, version: ServerVersion, results: Results): Promise<void> {
  const main = settings.configs.find((c) => c.name === 'main');
  if (!main) return;
  const forced = process.env['BENCH_PROFILE']?.split(',').map((s) => s.trim() as ScenarioName) ?? [];
  const missed = settings.profileMisses ? results.targets.flatMap((t) => (t.pass === false && t.scenario ? [t.scenario] : [])) : [];
  const names = [...new Set([...missed, ...forced])];
  const profileDir = join(BENCH_DIR, 'results', 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const template = names.length ? await bench.seedTemplate(version, main) : null;
  for (const name of names) {
    log(`\nprofiling ${name}`);
    // One file per thread (tsx's module hooks run in a worker); the main thread's is named <pid>.0.
    const dir = join(profileDir, `${name}-${settings.mode}`);
    rmSync(dir, { recursive: true, force: true });
    // From the TypeScript sources (through tsx), not the bundle: --cpu-prof ignores source maps, and the summary
    // sorts functions into components by their file.
    const server = await bench.startServer(env, template!, {
      nodeFlags: [...version.nodeFlags, '--cpu-prof', '--cpu-prof-dir', dir],
      entry: 'bench/servers/server.ts',
    });
    let scenario: ScenarioResult;
    try {
      scenario = await bench.runScenario(env, main, server, name, { durationS: settings.profileS, samples: Math.min(100, settings.takeoverSamples) });
    } finally {
      await server.child.stop();
    }
    const mainThread = readdirSync(dir).find((f) => f.includes(`.${server.child.pid}.0.`));
    if (!mainThread) throw new Error(`no main-thread profile in ${dir}: ${readdirSync(dir).join(', ')}`);
    const cpuprofile = join(dir, mainThread);
    const md = profileMarkdown(`${scenario.label} (${settings.mode} run, ${started.toISOString()})`, cpuprofile, [
      `Measured while profiling (slower than unprofiled): ${describe(scenario)}.`,
    ], server.startToHealthyMs + 200);
    const mdPath = join(resultsDir, `profile-${name}.md`);
    writeFileSync(mdPath, md);
    results.profiles.push(relative(resultsDir, mdPath));
    const summary = summariseProfile(cpuprofile, server.startToHealthyMs + 200);
    const busy = summary.totalMs - summary.idleMs;
    const top = [...summary.byComponent.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
    results.limits.push(
      `${scenario.label}: ${top.map(([k, ms]) => `${k} ${((ms / busy) * 100).toFixed(0)}%`).join(', ')} of server CPU ` +
        `(see ${relative(resultsDir, mdPath)}; analysis in bench/README.md).`,
    );
  }
}

async function main(): Promise<void> {
  log(`OpenCX benchmark (${settings.mode}): ${settings.configs.map((c) => c.label).join('; ')}`);
  await buildCurrentServer();
  const version = currentVersion('current');
  const env = await bench.startEnvironment({ ceiling: true });
  log('\nhello-world ceiling, GET /');
  const { value: ceilingHello } = await bench.undisturbed(() =>
    runLoad({
      url: env.ceiling!.url,
      connections: settings.connections,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      eventsPerRequest: 1,
      next: () => ({ method: 'GET', path: '/', headers: {} }),
    }),
  );
  log(`  ${fmt(ceilingHello.rps)} req/s, p99 ${ceilingHello.p99Ms.toFixed(1)} ms`);

  const configs: ConfigResult[] = [];
  for (const spec of settings.configs) configs.push(await runConfig(env, version, spec));

  const { configs: _configs, ...runSettings } = settings;
  const results: Results = {
    version: 1,
    mode: settings.mode,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationS: 0,
    commit: version.commit,
    machine: machineInfo(),
    settings: runSettings,
    ceilingHello,
    configs,
    targets: evaluateTargets(configs),
    profiles: [],
    limits: [],
  };
  mkdirSync(resultsDir, { recursive: true });
  if (process.env['BENCH_NO_PROFILE'] !== '1') await profileMisses(env, version, results);
  results.finishedAt = new Date().toISOString();
  results.durationS = (Date.now() - started.getTime()) / 1000;

  // A profile summary belongs to the run that wrote it: one left from an earlier run would sit beside
  // latest.md as if it described this one.
  for (const file of readdirSync(resultsDir)) {
    if (/^profile-.*\.md$/.test(file) && !results.profiles.includes(file)) rmSync(join(resultsDir, file));
  }

  const md = resultsMarkdown(results);
  const stamp = started.toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  mkdirSync(join(resultsDir, 'history'), { recursive: true });
  for (const base of ['latest', join('history', stamp)]) {
    writeFileSync(join(resultsDir, `${base}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(resultsDir, `${base}.md`), md);
  }
  process.stdout.write(`\n${md}\n`);
  log(`results: ${relative(process.cwd(), join(resultsDir, 'latest.md'))} (and .json), copy in history/${stamp}.*`);
}

bench.run(main);
