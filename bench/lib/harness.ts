// The measuring machinery of bench/run.ts and of the A/B mode (bench/ab.ts): the shared environment (the HubSpot
// sandbox, the hello-world ceiling), a configuration's seeded template database, a fresh server per scenario on a
// copy of it, and each scenario's measured run. What is measured is a ServerVersion: the repository a server
// bundle and a seeder come from (this tree, or an older commit checked out beside it), so that both modes run
// scenarios through the same code.
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { buildServerBundle, productionCommand, productionNodeFlags } from '../../scripts/build';
import { freePort } from '../../test/support/free-port';
import { underBackground } from './background';
import { readBacklog } from './backlog';
import type { BenchApp, SandboxFixtures, SandboxSpec, SeedReport, SeedSpec } from './fixtures';
import { Signer } from './hubspot-requests';
import { runLoad, type LoadFigures, type LoadOptions } from './load';
import { runPaced } from './paced';
import {
  BENCH_DIR,
  REPO_DIR,
  cpuSecondsOf,
  liveChildren,
  memoryOf,
  ourPids,
  spawnTs,
  startCpuMeter,
  waitForQuietMachine,
  waitHealthy,
  type Child,
} from './processes';
import type { LoopDelay, Results, ScenarioResult } from './report';
import { probe, scenarioDefs } from './scenarios';
import { FINDING_ONLY, type ConfigSpec, type ScenarioName, type Settings } from './settings';
import { measureTakeover } from './takeover';
import { describeReplyScenario, runReplyScenario } from './reply-scenarios';

/** bench/servers/server.ts built like the production bundle (bench/.build is gitignored), relative to its repository. */
export const SERVER_ENTRY = 'bench/.build/server.js';
export const SEED_ENTRY = 'bench/servers/seed.ts';
const FIRST_PORTAL_ID = 20_000_001;

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The code under measurement: where its server bundle and its seeder are, and how production starts it. */
export interface ServerVersion {
  /** A short name for logs and directory names ("A", "B", "current"). */
  label: string;
  commit: string;
  /** The repository the server and the seeder run in (their node_modules, their migrations). */
  repoDir: string;
  /** The built server, relative to repoDir. */
  serverEntry: string;
  /** The seeder (run through tsx), relative to repoDir. */
  seedEntry: string;
  /** The node flags of the version's `npm run start:production`. */
  nodeFlags: string[];
}

/** This tree: its bench/servers/server.ts is built by buildCurrentServer. */
/** The environment assignments of the current tree's `npm run start:production`. */
const PRODUCTION_ENV = productionCommand().env;

export function currentVersion(label: string): ServerVersion {
  return { label, commit: gitCommit(), repoDir: REPO_DIR, serverEntry: SERVER_ENTRY, seedEntry: SEED_ENTRY, nodeFlags: productionNodeFlags() };
}

/** The server runs compiled, as `npm run build` + `npm run start:production` run it, not through tsx. */
export async function buildCurrentServer(): Promise<void> {
  await buildServerBundle(join(BENCH_DIR, 'servers', 'server.ts'), join(REPO_DIR, SERVER_ENTRY));
}

/** The commit of this tree, "+ uncommitted changes" when the product code differs from it. */
export function gitCommit(): string {
  if (process.env['BENCH_COMMIT']) return process.env['BENCH_COMMIT'];
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain -- server shared test', { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): Results['machine'] {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    node: process.versions.node,
    os: `Linux ${release()}`,
  };
}

export interface Environment {
  /** The hello-world, when the run drives it too (not in the A/B mode). */
  ceiling: { child: Child; url: string } | null;
  sandbox: Child;
  sandboxUrl: string;
  fixtures: SandboxFixtures;
}

export interface Template {
  spec: ConfigSpec;
  version: ServerVersion;
  databasePath: string;
  tokenEncryptionKey: string;
  seed: SeedReport;
}

export interface RunningServer {
  child: Child;
  url: string;
  dir: string;
  databasePath: string;
  startToHealthyMs: number;
}

export class BenchHarness {
  readonly started = new Date();
  readonly work = mkdtempSync(join(tmpdir(), 'opencx-bench-'));
  readonly app: BenchApp = { appId: 1160452, clientId: randomUUID(), clientSecret: randomUUID() };
  readonly verbose = process.env['BENCH_VERBOSE'] === '1';

  constructor(readonly settings: Settings) {}

  readonly log = (line: string) =>
    process.stderr.write(`${line.replace(/^(\n*)/, (nl) => `${nl}[${((Date.now() - this.started.getTime()) / 1000).toFixed(0).padStart(4)} s] `)}\n`);

  /**
   * Runs `work` once the rest of the machine is quiet, and reports how much CPU other jobs took meanwhile (the
   * machine is shared: a type check next door would otherwise be measured as our slowness).
   */
  async undisturbed<T>(work: () => Promise<T>): Promise<{ value: T; foreignCores: number; cpuSecondsOf(pid: number): number }> {
    if (this.settings.quietWaitMaxMs > 0) await waitForQuietMachine(ourPids, 0.1, this.settings.quietWaitMaxMs);
    const meter = startCpuMeter(ourPids);
    const value = await work();
    const cpu = meter();
    return { value, foreignCores: cpu.foreignCores, cpuSecondsOf: (pid) => cpu.secondsByPid.get(pid) ?? NaN };
  }

  /**
   * A throughput run: warm-up, then the measured run on a quiet machine, with the target's CPU time per answered
   * request (less sensitive than req/s to other jobs on a shared machine).
   */
  async measuredLoad(
    targetPid: number,
    options: LoadOptions,
    beforeRun: () => Promise<unknown> = async () => {},
  ): Promise<{ figures: LoadFigures; foreignCores: number; cpuMsPerRequest: number }> {
    if (options.warmupS > 0) await runLoad({ ...options, durationS: options.warmupS, warmupS: 0 });
    await beforeRun();
    const run = await this.undisturbed(() => runLoad({ ...options, warmupS: 0 }));
    return { figures: run.value, foreignCores: run.foreignCores, cpuMsPerRequest: (run.cpuSecondsOf(targetPid) * 1000) / Math.max(1, run.value.requests) };
  }

  async startEnvironment(options: { ceiling: boolean }): Promise<Environment> {
    let ceiling: Environment['ceiling'] = null;
    if (options.ceiling) {
      const child = spawnTs('ceiling', 'bench/servers/ceiling.ts', { verbose: this.verbose });
      ceiling = { child, url: (await child.waitForLine<{ url: string }>('BENCH_READY ', 60_000)).url };
    }
    const fixturesPath = join(this.work, 'fixtures.json');
    const spec: SandboxSpec = {
      app: this.app,
      port: await freePort(),
      portals: Math.max(...this.settings.configs.map((c) => c.portals)),
      firstPortalId: FIRST_PORTAL_ID,
      tickets: this.settings.poolTickets + this.settings.takeoverSamples,
      fixturesPath,
    };
    const sandbox = spawnTs('sandbox', 'bench/servers/sandbox.ts', { verbose: this.verbose, env: { BENCH_SANDBOX_SPEC: JSON.stringify(spec) } });
    const { url: sandboxUrl } = await sandbox.waitForLine<{ url: string }>('BENCH_READY ', 300_000);
    const fixtures = JSON.parse(readFileSync(fixturesPath, 'utf8')) as SandboxFixtures;
    this.log(`  sandbox ${sandboxUrl}: ${fmt(fixtures.portals.length)} portals, ${fmt(fixtures.tickets.length)} tickets`);
    return { ceiling, sandbox, sandboxUrl, fixtures };
  }

  /**
   * Seeds a configuration's database once, with the version's own seeder in the version's own repository (its
   * schema and migrations); every scenario then starts a fresh server on a copy of it.
   */
  async seedTemplate(version: ServerVersion, spec: ConfigSpec): Promise<Template> {
    const dir = join(this.work, `template-${spec.name}-${version.label}`);
    mkdirSync(dir, { recursive: true });
    const databasePath = join(dir, 'opencx.sqlite');
    const tokenEncryptionKey = randomBytes(32).toString('base64');
    const seedSpec: SeedSpec = {
      databasePath,
      dataDir: dir,
      tokenEncryptionKey,
      fixturesPath: join(this.work, 'fixtures.json'),
      portals: spec.portals,
      storedEvents: spec.storedEvents,
    };
    const seeder = spawnTs(`seed ${version.label}`, version.seedEntry, {
      verbose: this.verbose,
      cwd: version.repoDir,
      env: { BENCH_SEED_SPEC: JSON.stringify(seedSpec), BENCH_APP: JSON.stringify(this.app) },
    });
    const seed = await seeder.waitForLine<SeedReport>('BENCH_SEEDED ', 900_000);
    if ((await seeder.exited) !== 0) throw new Error(`seeding (${version.label}, ${version.commit}) failed\n${seeder.tail()}`);
    return { spec, version, databasePath, tokenEncryptionKey, seed };
  }

  dropTemplate(template: Template): void {
    rmSync(dirname(template.databasePath), { recursive: true, force: true });
  }

  /**
   * A server of the template's version on a fresh copy of its database. `overrides` run it otherwise (the
   * profiler runs the TypeScript sources with --cpu-prof).
   */
  async startServer(env: Environment, template: Template, overrides: { nodeFlags?: string[]; entry?: string } = {}): Promise<RunningServer> {
    const { version } = template;
    const dir = join(this.work, `${template.spec.name}-${version.label}-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir, { recursive: true });
    const databasePath = join(dir, 'opencx.sqlite');
    copyFileSync(template.databasePath, databasePath);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnTs(`server ${version.label}`, overrides.entry ?? version.serverEntry, {
      verbose: this.verbose,
      cwd: version.repoDir,
      nodeFlags: overrides.nodeFlags ?? version.nodeFlags,
      env: {
        // The environment `npm run start:production` sets (NODE_ENV, MALLOC_ARENA_MAX), the current tree's for both
        // versions of an A/B run: the comparison is of the code.
        ...PRODUCTION_ENV,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_BASE_URL: url,
        DATABASE_PATH: databasePath,
        DATA_DIR: dir,
        ...(process.env['BENCH_SERVER_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_SERVER_NODE_OPTIONS'] } : {}),
        TOKEN_ENCRYPTION_KEY: template.tokenEncryptionKey,
        LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
        HUBSPOT_CLIENT_ID: this.app.clientId,
        HUBSPOT_CLIENT_SECRET: this.app.clientSecret,
        HUBSPOT_APP_ID: String(this.app.appId),
        HUBSPOT_API_BASE_URL: env.sandboxUrl,
        HUBSPOT_AUTHORIZE_URL: `${env.sandboxUrl}/oauth/authorize`,
        // The embedded FAQ agent answers (reply-latency, hubspot-calls), whatever the runner's environment says.
        OPENCX_AI_URL: '',
        // Every load generator runs on this machine, so all connections come from one address: the per-client cap
        // (meant for one client among many) would turn most of them away.
        HTTP_MAX_CONNECTIONS_PER_CLIENT: String(Math.max(this.settings.connections * 4, 256)),
        HTTP_MAX_CONNECTIONS: String(Math.max(this.settings.connections * 4, 256)),
      },
    });
    const startToHealthyMs = await waitHealthy(child, `${url}/healthz`, 60_000);
    return { child, url, dir, databasePath, startToHealthyMs };
  }

  /** The server's event-loop delay since the previous call (bench/servers/server.ts answers SIGUSR2). */
  async loopDelay(server: RunningServer): Promise<LoopDelay> {
    const line = server.child.waitForLine<LoopDelay>('BENCH_LOOP_DELAY ', 5000);
    server.child.process.kill('SIGUSR2');
    return line;
  }

  async runScenario(
    env: Environment,
    spec: ConfigSpec,
    server: RunningServer,
    name: ScenarioName,
    overrides: { durationS?: number; samples?: number } = {},
  ): Promise<ScenarioResult> {
    const { settings } = this;
    const tickets = env.fixtures.tickets;
    // Like for like across configurations: the load goes to the first portal, except in the -spread scenario.
    const connected = env.fixtures.portals.slice(0, spec.portals);
    const portals = name === 'intake-1-spread' ? connected : connected.slice(0, 1);
    const signer = new Signer(this.app, server.url);
    const pool = tickets.slice(0, settings.poolTickets);
    const defs = scenarioDefs({ signer, portals, pool });
    const findingOnly = FINDING_ONLY.includes(name);
    const load = {
      connections: settings.connections,
      durationS: overrides.durationS ?? (findingOnly ? Math.min(5, settings.durationS) : settings.durationS),
      warmupS: findingOnly ? 0 : settings.warmupS,
    };

    if (name === 'reply-latency' || name === 'hubspot-calls') {
      return runReplyScenario(name, {
        serverUrl: server.url, sandboxUrl: env.sandboxUrl, signer, connected, settings,
        undisturbed: (work) => this.undisturbed(work), loopDelay: () => this.loopDelay(server),
      });
    }
    if (name === 'takeover') {
      const label = `takeover under ${fmt(settings.backgroundEventsPerS)} events/s`;
      const count = overrides.samples ?? settings.takeoverSamples;
      const samples = tickets.slice(settings.poolTickets, settings.poolTickets + count);
      for (const prerequisite of ['intake-1', 'card'] as const) {
        const problem = await probe(server.url, defs[prerequisite], defs[prerequisite].generator());
        if (problem) return { name, label, status: 'unavailable', note: `${defs[prerequisite].label}: ${problem}` };
      }
      await this.loopDelay(server);
      const { value: takeover, foreignCores } = await this.undisturbed(() => measureTakeover({
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
      return { name, label, status: 'measured', takeover, foreignCores, loopDelay: await this.loopDelay(server) };
    }

    if (name === 'card-latency') {
      const def = defs.card;
      const label = `card status read, ${fmt(settings.cardReadsPerS)}/s under ${fmt(settings.backgroundEventsPerS)} events/s`;
      const problem = await probe(server.url, def, def.generator());
      if (problem) return { name, label, status: 'unavailable', note: problem };
      await this.loopDelay(server);
      const { value, foreignCores } = await this.undisturbed(() =>
        underBackground(
          { serverUrl: server.url, signer, portals, eventsPerS: settings.backgroundEventsPerS, batch: settings.backgroundBatch, rampMs: settings.backgroundRampMs },
          () => runPaced({ url: server.url, ratePerS: settings.cardReadsPerS, durationS: load.durationS, next: def.generator() }),
        ),
      );
      return { name, label, status: 'measured', server: value.value, background: value.background, foreignCores, loopDelay: await this.loopDelay(server) };
    }

    const def = defs[name];
    const next = def.generator();
    const problem = await probe(server.url, def, next);
    if (problem) return { name, label: def.label, status: 'unavailable', note: problem };
    const ceiling =
      spec.withCeiling && !findingOnly && env.ceiling
        ? await this.measuredLoad(env.ceiling.child.pid, { ...load, url: env.ceiling.url, eventsPerRequest: def.eventsPerRequest, next: def.generator() })
        : undefined;
    const measured = await this.measuredLoad(server.child.pid, { ...load, url: server.url, eventsPerRequest: def.eventsPerRequest, next }, () =>
      this.loopDelay(server),
    );
    const delay = await this.loopDelay(server);
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

  /** One scenario on a fresh server of the template's version: its figures, then what the server used and left behind. */
  async measureScenario(env: Environment, template: Template, name: ScenarioName): Promise<ScenarioResult> {
    const server = await this.startServer(env, template);
    const cpuBefore = [cpuSecondsOf(server.child.pid), cpuSecondsOf(env.sandbox.pid)];
    let scenario: ScenarioResult;
    try {
      scenario = await this.runScenario(env, template.spec, server, name);
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

  async stopAll(): Promise<void> {
    await Promise.all([...liveChildren].map((c) => c.stop(5000)));
    if (process.env['BENCH_KEEP'] !== '1') rmSync(this.work, { recursive: true, force: true });
  }

  /** Runs `main`, then stops every child; exits 1 (after stopping them) when the harness itself fails, 130 on Ctrl-C. */
  run(main: () => Promise<void>): void {
    process.once('SIGINT', () => {
      void this.stopAll().finally(() => process.exit(130));
    });
    main().then(
      () => this.stopAll(),
      async (err: unknown) => {
        this.log(`\nbenchmark harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        await this.stopAll();
        process.exit(1);
      },
    );
  }
}

/** One line about a scenario's figures, for the log. */
export function describe(s: ScenarioResult): string {
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
