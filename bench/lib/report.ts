// The results of a run: figures per configuration and scenario, the targets of issue 9 with pass/fail, and the
// markdown that is printed and written next to the JSON.
import type { SeedReport } from './fixtures';
import type { HubSpotCallsFigures } from './hubspot-calls';
import type { LoadFigures } from './load';
import type { ReplyLatencyFigures } from './reply-latency';
import { replyScenarioCells, replyScenarioMarkdown, replyScenarioTargets } from './reply-scenarios';
import { MARGIN, TARGETS, marginAbove, marginBelow, type ConfigSpec, type ScenarioName, type Settings } from './settings';
import type { TakeoverFigures } from './takeover';

/**
 * The server's event-loop delay during the measured run (ms): how late a 1 ms timer fired, i.e. how long ready
 * work waited for the thread. Plus its V8 heap when the run ended.
 */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}

export interface ScenarioResult {
  name: ScenarioName;
  label: string;
  /** `unavailable`: the route does not do the scenario's work yet (e.g. answers 501); nothing was measured. */
  status: 'measured' | 'unavailable';
  note?: string;
  server?: LoadFigures;
  ceiling?: LoadFigures;
  /** Server 2xx req/s over the hello-world's req/s for the same requests. */
  ratio?: number;
  /** CPU time the server (or the hello-world) spent per request during the measured run. */
  serverCpuMsPerRequest?: number;
  ceilingCpuMsPerRequest?: number;
  takeover?: TakeoverFigures;
  /** Customer message to AI reply (reply-latency) and HubSpot calls per handled event (hubspot-calls). */
  replyLatency?: ReplyLatencyFigures;
  hubspotCalls?: HubSpotCallsFigures;
  loopDelay?: LoopDelay;
  /** The background intake a latency scenario ran under. */
  background?: LoadFigures | null;
  /** CPU (in cores) other jobs on the machine used during the load runs; above ~0.1 the figures are disturbed. */
  foreignCores?: number;
  /** Each scenario runs on a fresh server (a copy of the seeded database): its start, memory and CPU. */
  startToHealthyMs?: number;
  rssAfterMb?: number | null;
  peakRssMb?: number | null;
  serverCpuS?: number;
  sandboxCpuS?: number;
  /** How long the server's graceful close took when stopped after the scenario; null: not done within 1 s. */
  gracefulStopMs?: number | null;
  /** The inbox and outbox when the server stopped: what the workers got through during the run. */
  backlog?: { processed: number; waiting: number; dead: number; effectsWaiting: number };
}

export interface ConfigResult {
  spec: ConfigSpec;
  seed: SeedReport | null;
  /** Median over the scenario servers' starts. */
  startToHealthyMs: number | null;
  /** Highest VmHWM over the scenario servers. */
  peakRssMb: number | null;
  scenarios: ScenarioResult[];
}

export interface TargetResult {
  target: string;
  required: string;
  measured: string;
  /** null: not measured in this run (a route not available yet). */
  pass: boolean | null;
  /** The scenario to profile when the target is missed. */
  scenario?: ScenarioName;
  /**
   * How far inside its target the figure is, as a fraction of the target (0.25: 25 % inside; negative: missed).
   * Issue 21 asks for every target to be met by at least MARGIN in each of three runs in a row. Absent for
   * targets that are counts (HubSpot calls per event: at the budget is where they should be).
   */
  margin?: number;
}


export interface Results {
  version: 1;
  mode: Settings['mode'];
  startedAt: string;
  finishedAt: string;
  durationS: number;
  commit: string;
  machine: { nproc: number; cpu: string; memoryGb: number; node: string; os: string };
  settings: Omit<Settings, 'configs'>;
  ceilingHello: LoadFigures | null;
  configs: ConfigResult[];
  targets: TargetResult[];
  profiles: string[];
  limits: string[];
}

const f0 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : Math.round(n).toLocaleString('en-US'));
const f1 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const f2 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2));
const marginCell = (margin: number | undefined) =>
  margin === undefined ? '—' : `${margin < MARGIN ? '**' : ''}${f0(margin * 100)} %${margin < MARGIN ? '**' : ''}`;

function marginSummary(targets: readonly TargetResult[]): string {
  const thin = targets.filter((t) => t.margin !== undefined && t.margin < MARGIN);
  const missed = targets.filter((t) => t.pass === false);
  if (missed.length === 0 && thin.length === 0) return `Every target met, each figure with a numeric target at least ${f0(MARGIN * 100)} % inside it.`;
  return `Not every target met with the margin: ${[...new Set([...missed, ...thin])].map((t) => t.target).join('; ')}.`;
}

const mark = (pass: boolean | null) => (pass === null ? 'NOT MEASURED' : pass ? 'PASS' : 'MISS');

const scenarioOf = (config: ConfigResult | undefined, name: ScenarioName) =>
  config?.scenarios.find((s) => s.name === name && s.status === 'measured');

/** A scaled figure and which direction is worse. Latencies get a 1 ms floor (sub-ms jitter is not degradation). */
interface ScaledFigure {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  floor?: number;
  /** False: shown in the scaling table, not held to the 2× target (a different load, not a like-for-like figure). */
  targeted?: boolean;
  of(config: ConfigResult): number | null | undefined;
}

export const SCALED_FIGURES: ScaledFigure[] = [
  { name: 'intake 1-event req/s', unit: 'req/s', higherIsBetter: true, of: (c) => scenarioOf(c, 'intake-1')?.server?.rps },
  {
    name: 'intake 1-event req/s, load spread over all portals',
    unit: 'req/s',
    higherIsBetter: true,
    targeted: false,
    of: (c) => (scenarioOf(c, 'intake-1-spread') ?? (c.spec.portals === 1 ? scenarioOf(c, 'intake-1') : undefined))?.server?.rps,
  },
  { name: 'intake 1-event p99', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'intake-1')?.server?.p99Ms },
  { name: 'intake 100-event events/s', unit: 'events/s', higherIsBetter: true, of: (c) => scenarioOf(c, 'intake-100')?.server?.eventsPerS },
  { name: 'intake 100-event p99', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'intake-100')?.server?.p99Ms },
  { name: 'action req/s', unit: 'req/s', higherIsBetter: true, of: (c) => scenarioOf(c, 'action')?.server?.rps },
  { name: 'action p99', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'action')?.server?.p99Ms },
  { name: 'card req/s', unit: 'req/s', higherIsBetter: true, of: (c) => scenarioOf(c, 'card')?.server?.rps },
  { name: 'card p99 (saturating)', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'card')?.server?.p99Ms },
  { name: 'card p99 (100/s under background)', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'card-latency')?.server?.p99Ms },
  { name: 'takeover p99', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => scenarioOf(c, 'takeover')?.takeover?.p99Ms },
  { name: 'peak RSS', unit: 'MB', higherIsBetter: false, of: (c) => c.peakRssMb },
  { name: 'start to healthy', unit: 'ms', higherIsBetter: false, floor: 1, of: (c) => c.startToHealthyMs },
];

/** How many times worse `to` is than `from` (1 = same, 2 = twice as bad); null when either is missing. */
export function degradation(figure: ScaledFigure, from: ConfigResult, to: ConfigResult): number | null {
  const a = figure.of(from);
  const b = figure.of(to);
  if (a === null || a === undefined || b === null || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return null;
  const floor = figure.floor ?? 0;
  return figure.higherIsBetter ? a / Math.max(b, 1e-9) : Math.max(b, floor) / Math.max(a, floor, 1e-9);
}

export function evaluateTargets(configs: ConfigResult[]): TargetResult[] {
  const main = configs.find((c) => c.spec.name === 'main');
  const targets: TargetResult[] = [];
  const intake1 = scenarioOf(main, 'intake-1');
  targets.push({
    target: 'intake, 1-event batches: req/s ÷ hello-world req/s (same requests)',
    scenario: 'intake-1',
    required: `≥ ${TARGETS.intakeRatio}`,
    measured: intake1 ? `${f2(intake1.ratio)} (${f0(intake1.server?.rps)} vs ${f0(intake1.ceiling?.rps)} req/s)` : '—',
    pass: intake1?.ratio === undefined ? null : intake1.ratio >= TARGETS.intakeRatio && errorFree(intake1.server),
    margin: marginAbove(intake1?.ratio, TARGETS.intakeRatio),
  });
  const intake100 = scenarioOf(main, 'intake-100');
  targets.push({
    target: 'intake, 100-event batches: events/s',
    scenario: 'intake-100',
    required: `≥ ${f0(TARGETS.intake100EventsPerS)}`,
    measured: intake100 ? f0(intake100.server?.eventsPerS) : '—',
    pass: intake100?.server ? intake100.server.eventsPerS >= TARGETS.intake100EventsPerS && errorFree(intake100.server) : null,
    margin: marginAbove(intake100?.server?.eventsPerS, TARGETS.intake100EventsPerS),
  });
  const takeover = scenarioOf(main, 'takeover')?.takeover;
  targets.push({
    target: `takeover latency p99 under ${f0(1000)} events/s`,
    scenario: 'takeover',
    required: `≤ ${TARGETS.takeoverP99Ms} ms`,
    measured: takeover ? `${f1(takeover.p99Ms)} ms (p50 ${f1(takeover.p50Ms)}, ${takeover.samples} samples, ${takeover.failures} failed)` : '—',
    pass: takeover ? takeover.p99Ms <= TARGETS.takeoverP99Ms && takeover.failures === 0 : null,
    margin: marginBelow(takeover?.p99Ms, TARGETS.takeoverP99Ms),
  });
  const card = scenarioOf(main, 'card-latency');
  targets.push({
    target: `${card?.label ?? 'card status read under the background load'}: p99`,
    scenario: 'card-latency',
    required: `≤ ${TARGETS.cardP99Ms} ms`,
    measured: card?.server ? `${f1(card.server.p99Ms)} ms (p50 ${f1(card.server.p50Ms)})` : '—',
    pass: card?.server ? card.server.p99Ms <= TARGETS.cardP99Ms && errorFree(card.server) : null,
    margin: marginBelow(card?.server?.p99Ms, TARGETS.cardP99Ms),
  });
  targets.push(...replyScenarioTargets(configs));
  const peaks = configs.map((c) => c.peakRssMb).filter((n): n is number => n !== null);
  const peak = peaks.length ? Math.max(...peaks) : null;
  targets.push({
    target: 'peak RSS of the server process (any configuration)',
    required: `≤ ${TARGETS.peakRssMb} MB`,
    measured: peak === null ? '—' : `${f0(peak)} MB`,
    pass: peak === null ? null : peak <= TARGETS.peakRssMb,
    margin: marginBelow(peak ?? undefined, TARGETS.peakRssMb),
  });
  const largest = configs.filter((c) => c.spec.name.startsWith('portals-')).sort((a, b) => b.spec.portals - a.spec.portals)[0];
  if (main && largest) {
    const factors = SCALED_FIGURES.filter((figure) => figure.targeted !== false).map((figure) => ({ figure, factor: degradation(figure, main, largest) })).filter(
      (x): x is { figure: ScaledFigure; factor: number } => x.factor !== null,
    );
    const worst = factors.sort((a, b) => b.factor - a.factor)[0];
    targets.push({
      target: `no figure degrades more than ${TARGETS.scalingFactor}× from 1 to ${f0(largest.spec.portals)} portals`,
      required: `≤ ${TARGETS.scalingFactor}×`,
      measured: worst ? `worst ${f2(worst.factor)}× (${worst.figure.name}; ${factors.length} figures compared)` : '—',
      pass: worst ? worst.factor <= TARGETS.scalingFactor : null,
      margin: marginBelow(worst?.factor, TARGETS.scalingFactor),
    });
  }
  return targets;
}

/** More than 0.1% of answers not 2xx (or socket errors) means the figure is not of a working route. */
function errorFree(figures: LoadFigures | undefined): boolean {
  if (!figures) return false;
  return figures.non2xx + figures.errors + figures.timeouts <= figures.requests * 0.001;
}

export function resultsMarkdown(r: Results): string {
  const main = r.configs.find((c) => c.spec.name === 'main');
  const lines: string[] = [
    `# Benchmark results (${r.mode} run)`,
    '',
    `${r.startedAt} · ${r.durationS.toFixed(0)} s · commit ${r.commit} · ${r.machine.nproc} cores (${r.machine.cpu}), ` +
      `${r.machine.memoryGb.toFixed(0)} GB, Node ${r.machine.node}, ${r.machine.os}`,
    '',
    `Load: autocannon from the runner process, ${r.settings.connections} connections, ${r.settings.durationS} s per run after ` +
      `${r.settings.warmupS} s warm-up, loopback. Every request signed (v3) and every event distinct. Ratios are to a bare ` +
      `Hono hello-world (its own process) driven with the same requests in the same run.`,
    '',
    ...disturbance(r),
    '## Targets',
    '',
    `| target | required | measured | result | inside the target by (issue 21 asks ≥ ${f0(MARGIN * 100)} %) |`,
    '|---|---|---|---|---:|',
    ...r.targets.map((t) => `| ${t.target} | ${t.required} | ${t.measured} | **${mark(t.pass)}** | ${marginCell(t.margin)} |`),
    '',
    marginSummary(r.targets),
    '',
  ];
  if (r.ceilingHello) {
    lines.push(
      `Hello-world ceiling, plain \`GET /\`: ${f0(r.ceilingHello.rps)} req/s, p99 ${f1(r.ceilingHello.p99Ms)} ms.`,
      '',
    );
  }
  if (main) {
    lines.push(`## Throughput and latency (${main.spec.label})`, '', ...scenarioTable(main, true), '');
    const takeover = scenarioOf(main, 'takeover')?.takeover;
    if (takeover) lines.push(...takeoverLines(takeover), '');
  }
  lines.push(...replyScenarioMarkdown(r.configs));
  lines.push('## Start and memory', '', '| configuration | seeded | database | start to healthy | peak RSS |', '|---|---|---:|---:|---:|');
  for (const c of r.configs) {
    lines.push(
      `| ${c.spec.label} | ${c.seed ? `${f0(c.seed.portals)} portals, ${f0(c.seed.sessions)} sessions, ${f0(c.seed.storedEvents)} events` : '—'} | ` +
        `${c.seed ? `${f1(c.seed.databaseMb)} MB` : '—'} | ${f0(c.startToHealthyMs)} ms | ${f0(c.peakRssMb)} MB |`,
    );
  }
  lines.push('', 'Start to healthy: from spawning `node bench/.build/server.js` (bench/servers/server.ts built as `npm run build` builds the server) to the first 200 from `/healthz`.', '');
  if (main && r.configs.length > 1) {
    const others = r.configs.filter((c) => c !== main);
    lines.push(
      '## Scaling: connected portals and stored events',
      '',
      `| figure | ${main.spec.label} | ${others.map((c) => c.spec.label).join(' | ')} |`,
      `|---|---:|${others.map(() => '---:').join('|')}|`,
    );
    for (const figure of SCALED_FIGURES) {
      const base = figure.of(main);
      const cells = others.map((c) => {
        const v = figure.of(c);
        const factor = degradation(figure, main, c);
        return `${figure.unit === 'ms' ? f1(v) : f0(v)}${factor === null ? '' : ` (${factor >= 1 ? `${f2(factor)}× worse` : `${f2(1 / factor)}× better`})`}`;
      });
      lines.push(`| ${figure.name} (${figure.unit}) | ${figure.unit === 'ms' ? f1(base) : f0(base)} | ${cells.join(' | ')} |`);
    }
    lines.push('');
    for (const c of others) {
      lines.push(`### ${c.spec.label}`, '', ...scenarioTable(c, false), '');
    }
  }
  const unavailable = r.configs.flatMap((c) => c.scenarios.filter((s) => s.status === 'unavailable').map((s) => `${c.spec.label} / ${s.label}: ${s.note}`));
  if (unavailable.length) lines.push('## Not measured', '', ...unavailable.map((u) => `- ${u}`), '');
  if (r.limits.length) {
    lines.push('## Where the server spends its CPU (profiled: missed targets and BENCH_PROFILE)', '', ...r.limits.map((l) => `- ${l}`), '');
    lines.push('What limits each missed target, and what to change: bench/README.md, "Findings".', '');
  }
  if (r.profiles.length) lines.push('## Profiles', '', ...r.profiles.map((p) => `- [${p}](${p})`), '');
  return lines.join('\n');
}

/** A warning when other jobs on the machine took CPU during the measurements (the machine may be shared). */
function disturbance(r: Results): string[] {
  const worst = Math.max(0, ...r.configs.flatMap((c) => c.scenarios.map((s) => s.foreignCores ?? 0)));
  if (worst <= 0.2) return [`Machine quiet during the measurements (other jobs used at most ${f2(worst)} cores).`, ''];
  return [
    `**DISTURBED RUN: other jobs on this machine used up to ${f2(worst)} of its ${r.machine.nproc} cores during the ` +
      'measurements (column "other load"). Absolute figures are unreliable; rerun on a quiet machine.**',
    '',
  ];
}

function scenarioTable(c: ConfigResult, withCeiling: boolean): string[] {
  const head = withCeiling
    ? ['| scenario | req/s | events/s | p50 ms | p99 ms | hello-world req/s | ratio | CPU ms/req: server (hello-world) | not 2xx | loop delay p99 / max ms | peak RSS | worker: processed / waiting at stop | other load |',
       '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
    : ['| scenario | req/s | events/s | p50 ms | p99 ms | CPU ms/req | not 2xx | loop delay p99 / max ms | peak RSS | worker: processed / waiting at stop | other load |',
       '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  const rows = c.scenarios.map((s) => {
    if (s.status !== 'measured') return `| ${s.label} | not measured: ${(s.note ?? '').replace(/\|/g, '/').replace(/\n/g, ' ')} |`;
    const tail =
      `${s.loopDelay ? `${f1(s.loopDelay.p99)} / ${f1(s.loopDelay.max)}` : '—'} | ${f0(s.peakRssMb)} MB | ${s.backlog ? `${f0(s.backlog.processed)} / ${f0(s.backlog.waiting)}` : '—'} | ` +
      `${f2(s.foreignCores)} cores |`;
    const cpu = `${f2(s.serverCpuMsPerRequest)}${withCeiling && s.ceilingCpuMsPerRequest !== undefined ? ` (${f2(s.ceilingCpuMsPerRequest)})` : ''}`;
    if (s.takeover) {
      const t = s.takeover;
      return `| ${s.label} | — | — | ${f1(t.p50Ms)} | ${f1(t.p99Ms)} | ${withCeiling ? '— | — | ' : ''}— | ${t.failures} failed | ${tail}`;
    }
    const reply = replyScenarioCells(s);
    if (reply) return `| ${s.label} | — | — | ${f1(reply.p50Ms)} | ${f1(reply.p99Ms)} | ${withCeiling ? '— | — | ' : ''}— | ${reply.failures} failed | ${tail}`;
    const v = s.server!;
    const bad = f0(v.non2xx + v.errors + v.timeouts);
    return withCeiling
      ? `| ${s.label} | ${f0(v.rps)} | ${f0(v.eventsPerS)} | ${f1(v.p50Ms)} | ${f1(v.p99Ms)} | ${f0(s.ceiling?.rps)} | ${f2(s.ratio)} | ${cpu} | ${bad} | ${tail}`
      : `| ${s.label} | ${f0(v.rps)} | ${f0(v.eventsPerS)} | ${f1(v.p50Ms)} | ${f1(v.p99Ms)} | ${cpu} | ${bad} | ${tail}`;
  });
  return [...head, ...rows];
}

function takeoverLines(t: TakeoverFigures): string[] {
  const bg = t.background;
  return [
    `Takeover: ${t.samples} samples, p50 ${f1(t.p50Ms)} ms, p90 ${f1(t.p90Ms)} ms, p99 ${f1(t.p99Ms)} ms, max ${f1(t.maxMs)} ms, ` +
      `${t.failures} failed, ${f1(t.meanPolls)} card reads per sample; background ${bg ? `${f0(bg.eventsPerS)} events/s (${f0(bg.rps)} batches/s, ${f0(bg.non2xx + bg.errors)} not 2xx)` : 'none'}.`,
    ...(t.failureReasons.length ? ['', 'First failures:', ...t.failureReasons.map((x) => `- ${x}`)] : []),
  ];
}
