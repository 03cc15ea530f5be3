// `npm run bench`: the real server (on a temporary SQLite file, the HubSpot sandbox as HubSpot) and a bare Hono
// hello-world, each in its own process, driven by autocannon from this process over loopback. Prints every figure
// with its target and writes bench/results/latest.{json,md} plus a dated copy. See bench/README.md.
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { BenchApp, SandboxFixtures, SandboxSpec, SeedReport, SeedSpec } from './lib/fixtures';
import { Signer } from './lib/hubspot-requests';
import { runLoad, type LoadFigures, type LoadOptions } from './lib/load';
import { runPaced } from './lib/paced';
import { readBacklog } from './lib/backlog';
import {
  BENCH_DIR,
  REPO_DIR,
  cpuSecondsOf,
  memoryOf,
  liveChildren,
  ourPids,
  spawnTs,
  startCpuMeter,
  waitForQuietMachine,
  waitHealthy,
  type Child,
} from './lib/processes';
import { profileMarkdown, summariseProfile } from './lib/profile';
import { evaluateTargets, resultsMarkdown, type ConfigResult, type LoopDelay, type Results, type ScenarioResult } from './lib/report';
import { probe, scenarioDefs } from './lib/scenarios';
import { FINDING_ONLY, loadSettings, type ConfigSpec, type ScenarioName } from './lib/settings';
import { underBackground } from './lib/background';
import { measureTakeover } from './lib/takeover';
import { describeReplyScenario, runReplyScenario } from './lib/reply-scenarios';
import { buildServerBundle, productionNodeFlags } from '../scripts/build';
import { freePort } from '../test/support/free-port';

/** bench/servers/server.ts built like the production bundle (bench/.build is gitignored). */
const SERVER_ENTRY = 'bench/.build/server.js';
/** The node flags of `npm run start:production`: the benchmark measures the server as production runs it. */
const PRODUCTION_NODE_FLAGS = productionNodeFlags();


const settings = loadSettings(process.env);
const verbose = process.env['BENCH_VERBOSE'] === '1';
const started = new Date();
const work = mkdtempSync(join(tmpdir(), 'opencx-bench-'));
const app: BenchApp = { appId: 1160452, clientId: randomUUID(), clientSecret: randomUUID() };
const FIRST_PORTAL_ID = 20_000_001;
const resultsDir = join(BENCH_DIR, 'results', ...(settings.mode === 'quick' ? ['quick'] : settings.partial ? ['partial'] : []));

const log = (line: string) => process.stderr.write(`${line.replace(/^(\n*)/, (nl) => `${nl}[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)} s] `)}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Runs `work` once the rest of the machine is quiet, and reports how much CPU other jobs took meanwhile (the
 * machine is shared: a type check next door would otherwise be measured as our slowness).
 */
async function undisturbed<T>(work: () => Promise<T>): Promise<{ value: T; foreignCores: number; cpuSecondsOf(pid: number): number }> {
  if (settings.quietWaitMaxMs > 0) await waitForQuietMachine(ourPids, 0.1, settings.quietWaitMaxMs);
  const meter = startCpuMeter(ourPids);
  const value = await work();
  const cpu = meter();
  return { value, foreignCores: cpu.foreignCores, cpuSecondsOf: (pid) => cpu.secondsByPid.get(pid) ?? NaN };
}

/**
 * A throughput run: warm-up, then the measured run on a quiet machine, with the target's CPU time per answered
 * request (less sensitive than req/s to other jobs on a shared machine).
 */
async function measuredLoad(
  targetPid: number,
  options: LoadOptions,
  beforeRun: () => Promise<unknown> = async () => {},
): Promise<{ figures: LoadFigures; foreignCores: number; cpuMsPerRequest: number }> {
  if (options.warmupS > 0) await runLoad({ ...options, durationS: options.warmupS, warmupS: 0 });
  await beforeRun();
  const run = await undisturbed(() => runLoad({ ...options, warmupS: 0 }));
  return { figures: run.value, foreignCores: run.foreignCores, cpuMsPerRequest: (run.cpuSecondsOf(targetPid) * 1000) / Math.max(1, run.value.requests) };
}

interface Environment {
  ceiling: Child;
  ceilingUrl: string;
  sandbox: Child;
  sandboxUrl: string;
  fixtures: SandboxFixtures;
}

async function startEnvironment(): Promise<Environment> {
  const ceiling = spawnTs('ceiling', 'bench/servers/ceiling.ts', { verbose });
  const { url: ceilingUrl } = await ceiling.waitForLine<{ url: string }>('BENCH_READY ', 60_000);

  const fixturesPath = join(work, 'fixtures.json');
  const spec: SandboxSpec = {
    app,
    port: await freePort(),
    portals: Math.max(...settings.configs.map((c) => c.portals)),
    firstPortalId: FIRST_PORTAL_ID,
    tickets: settings.poolTickets + settings.takeoverSamples,
    fixturesPath,
  };
  const sandbox = spawnTs('sandbox', 'bench/servers/sandbox.ts', { verbose, env: { BENCH_SANDBOX_SPEC: JSON.stringify(spec) } });
  const { url: sandboxUrl } = await sandbox.waitForLine<{ url: string }>('BENCH_READY ', 300_000);
  const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8')) as SandboxFixtures;
  log(`  sandbox ${sandboxUrl}: ${fmt(fixtures.portals.length)} portals, ${fmt(fixtures.tickets.length)} tickets`);
  return { ceiling, ceilingUrl, sandbox, sandboxUrl, fixtures };
}

interface Template {
  spec: ConfigSpec;
  databasePath: string;
  tokenEncryptionKey: string;
  seed: SeedReport;
}

/** Seeds a configuration's database once; every scenario then starts a fresh server on a copy of it. */
async function seedTemplate(spec: ConfigSpec): Promise<Template> {
  const dir = join(work, `template-${spec.name}`);
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, 'opencx.sqlite');
  const tokenEncryptionKey = randomBytes(32).toString('base64');
  const seedSpec: SeedSpec = {
    databasePath,
    dataDir: dir,
    tokenEncryptionKey,
    fixturesPath: join(work, 'fixtures.json'),
    portals: spec.portals,
    storedEvents: spec.storedEvents,
  };
  const seeder = spawnTs('seed', 'bench/servers/seed.ts', {
    verbose,
    env: { BENCH_SEED_SPEC: JSON.stringify(seedSpec), BENCH_APP: JSON.stringify(app) },
  });
  const seed = await seeder.waitForLine<SeedReport>('BENCH_SEEDED ', 900_000);
  if ((await seeder.exited) !== 0) throw new Error(`seeding failed\n${seeder.tail()}`);
  return { spec, databasePath, tokenEncryptionKey, seed };
}

interface RunningServer {
  child: Child;
  url: string;
  dir: string;
  databasePath: string;
  startToHealthyMs: number;
}

/** The server's event-loop delay since the previous call (bench/servers/server.ts answers SIGUSR2). */
async function loopDelay(server: RunningServer): Promise<LoopDelay> {
  const line = server.child.waitForLine<LoopDelay>('BENCH_LOOP_DELAY ', 5000);
  server.child.process.kill('SIGUSR2');
  return line;
}

async function startServer(env: Environment, template: Template, nodeFlags = PRODUCTION_NODE_FLAGS, entry = SERVER_ENTRY): Promise<RunningServer> {
  const dir = join(work, `${template.spec.name}-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  const databasePath = join(dir, 'opencx.sqlite');
  copyFileSync(template.databasePath, databasePath);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnTs('server', entry, {
    verbose,
    nodeFlags,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: url,
      DATABASE_PATH: databasePath,
      DATA_DIR: dir,
      ...(process.env['BENCH_SERVER_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_SERVER_NODE_OPTIONS'] } : {}),
      TOKEN_ENCRYPTION_KEY: template.tokenEncryptionKey,
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
      HUBSPOT_CLIENT_ID: app.clientId,
      HUBSPOT_CLIENT_SECRET: app.clientSecret,
      HUBSPOT_APP_ID: String(app.appId),
      HUBSPOT_API_BASE_URL: env.sandboxUrl,
      HUBSPOT_AUTHORIZE_URL: `${env.sandboxUrl}/oauth/authorize`,
      // The embedded FAQ agent answers (reply-latency, hubspot-calls), whatever the runner's environment says.
      OPENCX_AI_URL: '',
      // Every load generator runs on this machine, so all connections come from one address: the per-client cap
      // (meant for one client among many) would turn most of them away.
      HTTP_MAX_CONNECTIONS_PER_CLIENT: String(Math.max(settings.connections * 4, 256)),
      HTTP_MAX_CONNECTIONS: String(Math.max(settings.connections * 4, 256)),
    },
  });
  const startToHealthyMs = await waitHealthy(child, `${url}/healthz`, 60_000);
  return { child, url, dir, databasePath, startToHealthyMs };
}

async function runScenario(
  env: Environment,
  spec: ConfigSpec,
  server: RunningServer,
  name: ScenarioName,
  overrides: { durationS?: number; samples?: number } = {},
): Promise<ScenarioResult> {
  const tickets = env.fixtures.tickets;
  // Like for like across configurations: the load goes to the first portal, except in the -spread scenario.
  const connected = env.fixtures.portals.slice(0, spec.portals);
  const portals = name === 'intake-1-spread' ? connected : connected.slice(0, 1);
  const signer = new Signer(app, server.url);
  const pool = tickets.slice(0, settings.poolTickets);
  const defs = scenarioDefs({ signer, portals, pool });
  const findingOnly = FINDING_ONLY.includes(name);
  const load = {
    connections: settings.connections,
    durationS: overrides.durationS ?? (findingOnly ? Math.min(5, settings.durationS) : settings.durationS),
    warmupS: findingOnly ? 0 : settings.warmupS,
  };

  if (name === 'reply-latency' || name === 'hubspot-calls') {
    return runReplyScenario(name, { serverUrl: server.url, sandboxUrl: env.sandboxUrl, signer, connected, settings, undisturbed, loopDelay: () => loopDelay(server) });
  }
  if (name === 'takeover') {
    const label = `takeover under ${fmt(settings.backgroundEventsPerS)} events/s`;
    const count = overrides.samples ?? (spec.withCeiling ? settings.takeoverSamples : settings.scalingTakeoverSamples);
    const samples = tickets.slice(settings.poolTickets, settings.poolTickets + count);
    for (const prerequisite of ['intake-1', 'card'] as const) {
      const problem = await probe(server.url, defs[prerequisite], defs[prerequisite].generator());
      if (problem) return { name, label, status: 'unavailable', note: `${defs[prerequisite].label}: ${problem}` };
    }
    await loopDelay(server);
    const { value: takeover, foreignCores } = await undisturbed(() => measureTakeover({
      serverUrl: server.url,
      signer,
      portals,
      tickets: samples,
      backgroundEventsPerS: settings.backgroundEventsPerS,
      backgroundBatch: settings.backgroundBatch,
      backgroundRampMs: settings.backgroundRampMs,
      pollIntervalMs: 1,
      sampleTimeoutMs: 5000,
    }));
    return { name, label, status: 'measured', takeover, foreignCores, loopDelay: await loopDelay(server) };
  }

  if (name === 'card-latency') {
    const def = defs.card;
    const label = `card status read, ${fmt(settings.cardReadsPerS)}/s under ${fmt(settings.backgroundEventsPerS)} events/s`;
    const problem = await probe(server.url, def, def.generator());
    if (problem) return { name, label, status: 'unavailable', note: problem };
    await loopDelay(server);
    const { value, foreignCores } = await undisturbed(() =>
      underBackground(
        { serverUrl: server.url, signer, portals, eventsPerS: settings.backgroundEventsPerS, batch: settings.backgroundBatch, rampMs: settings.backgroundRampMs },
        () => runPaced({ url: server.url, ratePerS: settings.cardReadsPerS, durationS: load.durationS, next: def.generator() }),
      ),
    );
    return { name, label, status: 'measured', server: value.value, background: value.background, foreignCores, loopDelay: await loopDelay(server) };
  }

  const def = defs[name];
  const next = def.generator();
  const problem = await probe(server.url, def, next);
  if (problem) return { name, label: def.label, status: 'unavailable', note: problem };
  const ceiling =
    spec.withCeiling && !findingOnly
      ? await measuredLoad(env.ceiling.pid, { ...load, url: env.ceilingUrl, eventsPerRequest: def.eventsPerRequest, next: def.generator() })
      : undefined;
  const measured = await measuredLoad(server.child.pid, { ...load, url: server.url, eventsPerRequest: def.eventsPerRequest, next }, () =>
    loopDelay(server),
  );
  const delay = await loopDelay(server);
  return {
    name,
    label: def.label,
    status: 'measured',
    server: measured.figures,
    serverCpuMsPerRequest: measured.cpuMsPerRequest,
    loopDelay: delay,
    foreignCores: Math.max(measured.foreignCores, ceiling?.foreignCores ?? 0),
    ...(ceiling
      ? { ceiling: ceiling.figures, ceilingCpuMsPerRequest: ceiling.cpuMsPerRequest, ratio: measured.figures.rps / ceiling.figures.rps }
      : {}),
  };
}

function describe(s: ScenarioResult): string {
  if (s.status !== 'measured') return `not measured (${s.note})`;
  const reply = describeReplyScenario(s);
  if (reply) return reply;
  if (s.takeover) {
    const t = s.takeover;
    return `p50 ${t.p50Ms.toFixed(1)} ms, p99 ${t.p99Ms.toFixed(1)} ms, ${t.samples} samples, ${t.failures} failed${t.failureReasons[0] ? ` (${t.failureReasons[0]})` : ''}`;
  }
  const v = s.server!;
  const bad = v.non2xx + v.errors + v.timeouts;
  return (
    `${fmt(v.rps)} req/s, ${fmt(v.eventsPerS)} events/s, p50 ${v.p50Ms.toFixed(1)} ms, p99 ${v.p99Ms.toFixed(1)} ms` +
    (s.serverCpuMsPerRequest !== undefined ? `, server CPU ${s.serverCpuMsPerRequest.toFixed(3)} ms/req` : '') +
    (s.ceiling ? `; hello-world ${fmt(s.ceiling.rps)} req/s (${s.ceilingCpuMsPerRequest?.toFixed(3)} ms/req) → ratio ${s.ratio!.toFixed(2)}` : '') +
    (bad ? `; ${fmt(bad)} not 2xx: ${JSON.stringify(v.statusCodes)}` : '')
  );
}

/** One scenario on a fresh server: its figures, then what the server used and left behind. */
async function measureScenario(env: Environment, template: Template, name: ScenarioName): Promise<ScenarioResult> {
  const server = await startServer(env, template);
  const cpuBefore = [cpuSecondsOf(server.child.pid), cpuSecondsOf(env.sandbox.pid)];
  let scenario: ScenarioResult;
  try {
    scenario = await runScenario(env, template.spec, server, name);
    const cpuAfter = [cpuSecondsOf(server.child.pid), cpuSecondsOf(env.sandbox.pid)];
    scenario.serverCpuS = (cpuAfter[0] ?? 0) - (cpuBefore[0] ?? 0);
    scenario.sandboxCpuS = (cpuAfter[1] ?? 0) - (cpuBefore[1] ?? 0);
    scenario.startToHealthyMs = server.startToHealthyMs;
    const memory = memoryOf(server.child.pid);
    scenario.rssAfterMb = memory?.rssMb ?? null;
    scenario.peakRssMb = memory?.peakRssMb ?? null;
  } finally {
    const stopped = server.child.waitForLine<{ closed: boolean; ms: number }>('BENCH_STOPPED ', 20_000).catch(() => null);
    await server.child.stop();
    const stop = await stopped;
    if (stop && scenario!) scenario.gracefulStopMs = stop.closed ? stop.ms : null;
  }
  if (scenario.status === 'measured') {
    const backlog = readBacklog(server.databasePath);
    const seeded = template.seed.storedEvents;
    scenario.backlog = {
      processed: (backlog.inbox['done'] ?? 0) + (backlog.inbox['ignored'] ?? 0) - seeded,
      waiting: (backlog.inbox['pending'] ?? 0) + (backlog.inbox['processing'] ?? 0),
      dead: backlog.inbox['dead'] ?? 0,
      effectsWaiting: Object.entries(backlog.outbox)
        .filter(([status]) => status !== 'done' && status !== 'dead')
        .reduce((sum, [, n]) => sum + n, 0),
    };
  }
  rmSync(server.dir, { recursive: true, force: true });
  return scenario;
}

async function runConfig(env: Environment, spec: ConfigSpec): Promise<ConfigResult> {
  log(`\n${spec.label}`);
  const template = await seedTemplate(spec);
  log(`  seeded in ${fmt(template.seed.ms)} ms (${template.seed.databaseMb.toFixed(1)} MB)`);
  const result: ConfigResult = { spec, seed: template.seed, startToHealthyMs: null, peakRssMb: null, scenarios: [] };
  for (const name of spec.scenarios) {
    const scenario = await measureScenario(env, template, name);
    result.scenarios.push(scenario);
    log(`  ${scenario.label}: ${describe(scenario)}`);
  }
  const starts = result.scenarios.map((s) => s.startToHealthyMs).filter((n): n is number => typeof n === 'number');
  result.startToHealthyMs = starts.length ? starts.sort((a, b) => a - b)[Math.floor(starts.length / 2)]! : null;
  const peaks = result.scenarios.map((s) => s.peakRssMb).filter((n): n is number => typeof n === 'number');
  result.peakRssMb = peaks.length ? Math.max(...peaks) : null;
  log(`  start to healthy (median) ${fmt(result.startToHealthyMs ?? NaN)} ms, peak RSS ${fmt(result.peakRssMb ?? NaN)} MB`);
  rmSync(dirname(template.databasePath), { recursive: true, force: true });
  return result;
}

/** Profiles the scenario behind each missed target (or those in BENCH_PROFILE) on a fresh main configuration. */
async function profileMisses(env: Environment, results: Results): Promise<void> {
  const main = settings.configs.find((c) => c.name === 'main');
  if (!main) return;
  const forced = process.env['BENCH_PROFILE']?.split(',').map((s) => s.trim() as ScenarioName) ?? [];
  const missed = settings.profileMisses ? results.targets.flatMap((t) => (t.pass === false && t.scenario ? [t.scenario] : [])) : [];
  const names = [...new Set([...missed, ...forced])];
  const profileDir = join(BENCH_DIR, 'results', 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const template = names.length ? await seedTemplate(main) : null;
  for (const name of names) {
    log(`\nprofiling ${name}`);
    // One file per thread (tsx's module hooks run in a worker); the main thread's is named <pid>.0.
    const dir = join(profileDir, `${name}-${settings.mode}`);
    rmSync(dir, { recursive: true, force: true });
    // From the TypeScript sources (through tsx), not the bundle: --cpu-prof ignores source maps, and the summary
    // sorts functions into components by their file.
    const server = await startServer(env, template!, [...PRODUCTION_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', dir], 'bench/servers/server.ts');
    let scenario: ScenarioResult;
    try {
      scenario = await runScenario(env, main, server, name, { durationS: settings.profileS, samples: Math.min(100, settings.takeoverSamples) });
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

function gitCommit(): string {
  if (process.env['BENCH_COMMIT']) return process.env['BENCH_COMMIT'];
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain -- server shared test', { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  log(`OpenCX benchmark (${settings.mode}): ${settings.configs.map((c) => c.label).join('; ')}`);
  // The server runs compiled, as `npm run build` + `npm run start:production` run it, not through tsx.
  await buildServerBundle(join(BENCH_DIR, 'servers', 'server.ts'), join(REPO_DIR, SERVER_ENTRY));
  const env = await startEnvironment();
  log('\nhello-world ceiling, GET /');
  const { value: ceilingHello } = await undisturbed(() =>
    runLoad({
      url: env.ceilingUrl,
      connections: settings.connections,
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      eventsPerRequest: 1,
      next: () => ({ method: 'GET', path: '/', headers: {} }),
    }),
  );
  log(`  ${fmt(ceilingHello.rps)} req/s, p99 ${ceilingHello.p99Ms.toFixed(1)} ms`);

  const configs: ConfigResult[] = [];
  for (const spec of settings.configs) configs.push(await runConfig(env, spec));

  const { configs: _configs, ...runSettings } = settings;
  const results: Results = {
    version: 1,
    mode: settings.mode,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationS: 0,
    commit: gitCommit(),
    machine: {
      nproc: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: totalmem() / 1024 ** 3,
      node: process.versions.node,
      os: `Linux ${release()}`,
    },
    settings: runSettings,
    ceilingHello,
    configs,
    targets: evaluateTargets(configs),
    profiles: [],
    limits: [],
  };
  mkdirSync(resultsDir, { recursive: true });
  if (process.env['BENCH_NO_PROFILE'] !== '1') await profileMisses(env, results);
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

async function stopAll(): Promise<void> {
  await Promise.all([...liveChildren].map((c) => c.stop(5000)));
  if (process.env['BENCH_KEEP'] !== '1') rmSync(work, { recursive: true, force: true });
}

process.once('SIGINT', () => {
  void stopAll().finally(() => process.exit(130));
});

main().then(
  () => stopAll(),
  async (err: unknown) => {
    log(`\nbenchmark harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopAll();
    process.exit(1);
  },
);
