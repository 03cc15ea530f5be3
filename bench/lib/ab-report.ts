// The results of an A/B run (bench/ab.ts): every run of every round, and per scenario and figure the medians of A
// and B, the ratio B/A of each round's pair summarised as its median and range, and a verdict that only speaks
// when the rounds agree and the difference is larger than A's own spread.
import type { SeedReport } from './fixtures';
import { CALL_KINDS } from './hubspot-calls';
import { describeReplyScenario, replyScenarioCells } from './reply-scenarios';
import type { Results, ScenarioResult } from './report';
import type { ConfigSpec, ScenarioName, Settings } from './settings';

export type AbSide = 'A' | 'B';

export interface AbVersionInfo {
  commit: string;
  /** What was asked for (`--against`), for B; "working tree" for A. */
  ref: string;
  repoDir: string;
  nodeFlags: string[];
}

export interface AbRun {
  round: number;
  side: AbSide;
  /** 1 or 2: which of the round's pair ran first (the order alternates between rounds). */
  position: number;
  result: ScenarioResult;
}

export interface AbFigure {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  /** Per round (null: not measured in that run). */
  a: Array<number | null>;
  b: Array<number | null>;
  medianA: number | null;
  medianB: number | null;
  /** B/A of each round where both were measured. */
  ratios: number[];
  medianRatio: number | null;
  minRatio: number | null;
  maxRatio: number | null;
  /** max − min of A's own runs: how much the same code moved in this run. */
  spreadA: number | null;
  verdict: string;
}

export interface AbScenario {
  name: ScenarioName;
  label: string;
  runs: AbRun[];
  figures: AbFigure[];
}

export interface AbConfig {
  spec: ConfigSpec;
  seeds: Record<AbSide, SeedReport>;
  scenarios: AbScenario[];
}

export interface AbResults {
  version: 1;
  kind: 'ab';
  mode: Settings['mode'];
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: Results['machine'];
  settings: Omit<Settings, 'configs'>;
  rounds: number;
  a: AbVersionInfo;
  b: AbVersionInfo;
  configs: AbConfig[];
}

interface FigureDef {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  of(s: ScenarioResult): number | undefined;
}

const P50: FigureDef = { name: 'p50', unit: 'ms', higherIsBetter: false, of: (s) => s.server?.p50Ms };
const P99: FigureDef = { name: 'p99', unit: 'ms', higherIsBetter: false, of: (s) => s.server?.p99Ms };
const THROUGHPUT: FigureDef[] = [
  { name: 'req/s', unit: 'req/s', higherIsBetter: true, of: (s) => s.server?.rps },
  { name: 'events/s', unit: 'events/s', higherIsBetter: true, of: (s) => s.server?.eventsPerS },
  { name: 'server CPU per request', unit: 'ms', higherIsBetter: false, of: (s) => s.serverCpuMsPerRequest },
  P50,
  P99,
];
const REPLY: FigureDef[] = (['newConversation', 'followUp'] as const).flatMap((kind) => [
  { name: `${kind === 'newConversation' ? 'new conversation' : 'follow-up'} p50`, unit: 'ms', higherIsBetter: false, of: (s: ScenarioResult) => s.replyLatency?.[kind].p50Ms },
  { name: `${kind === 'newConversation' ? 'new conversation' : 'follow-up'} p99`, unit: 'ms', higherIsBetter: false, of: (s: ScenarioResult) => s.replyLatency?.[kind].p99Ms },
]);
const CALLS: FigureDef[] = CALL_KINDS.map((kind) => ({
  name: `${kind} HubSpot calls per event`, unit: 'calls', higherIsBetter: false, of: (s) => s.hubspotCalls?.kinds.find((k) => k.kind === kind)?.perEvent,
}));
const TAKEOVER: FigureDef[] = [
  { name: 'p50', unit: 'ms', higherIsBetter: false, of: (s) => s.takeover?.p50Ms },
  { name: 'p99', unit: 'ms', higherIsBetter: false, of: (s) => s.takeover?.p99Ms },
];

/** The figures compared for a scenario; events/s only where a request carries more than one event. */
function figureDefs(name: ScenarioName, runs: AbRun[]): FigureDef[] {
  if (name === 'takeover') return TAKEOVER;
  if (name === 'card-latency') return [P50, P99];
  if (name === 'reply-latency') return REPLY;
  if (name === 'hubspot-calls') return CALLS;
  const batched = runs.some((r) => r.result.server && Math.abs(r.result.server.eventsPerS - r.result.server.rps) > 0.01 * r.result.server.rps);
  return THROUGHPUT.filter((f) => f.name !== 'events/s' || batched);
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const finite = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : n);

export function compareFigure(def: FigureDef, runs: AbRun[], rounds: number): AbFigure {
  const valueOf = (side: AbSide, round: number) => {
    const run = runs.find((r) => r.side === side && r.round === round && r.result.status === 'measured');
    return run ? finite(def.of(run.result)) : null;
  };
  const roundNumbers = Array.from({ length: rounds }, (_, i) => i + 1);
  const a = roundNumbers.map((r) => valueOf('A', r));
  const b = roundNumbers.map((r) => valueOf('B', r));
  const measuredA = a.filter((v): v is number => v !== null);
  const measuredB = b.filter((v): v is number => v !== null);
  const ratios = roundNumbers.flatMap((_, i) => (a[i] !== null && b[i] !== null && a[i]! > 0 ? [b[i]! / a[i]!] : []));
  const medianA = median(measuredA);
  const medianB = median(measuredB);
  const medianRatio = median(ratios);
  const spreadA = measuredA.length ? Math.max(...measuredA) - Math.min(...measuredA) : null;
  let verdict: string;
  if (medianRatio === null || medianA === null || medianB === null || spreadA === null) verdict = 'not measured';
  else if (ratios.length < 2 || measuredA.length < 2) verdict = 'too few rounds';
  else {
    const allHigher = ratios.every((r) => r > 1);
    const allLower = ratios.every((r) => r < 1);
    if ((allHigher || allLower) && Math.abs(medianB - medianA) > spreadA) {
      const better = def.higherIsBetter ? allHigher : allLower;
      const percent = Math.abs(medianRatio - 1) * 100;
      verdict = `B ${better ? 'better' : 'worse'} by ${percent.toFixed(percent < 10 ? 1 : 0)}%`;
    } else verdict = 'within noise';
  }
  return {
    name: def.name,
    unit: def.unit,
    higherIsBetter: def.higherIsBetter,
    a,
    b,
    medianA,
    medianB,
    ratios,
    medianRatio,
    minRatio: ratios.length ? Math.min(...ratios) : null,
    maxRatio: ratios.length ? Math.max(...ratios) : null,
    spreadA,
    verdict,
  };
}

const DISTURBED_CORES = 0.2;

export function compareScenario(name: ScenarioName, runs: AbRun[], rounds: number): AbScenario {
  const label = runs.find((r) => r.result.status === 'measured')?.result.label ?? runs[0]?.result.label ?? name;
  const figures = figureDefs(name, runs).map((def) => compareFigure(def, runs, rounds));
  // A difference found while other jobs took CPU may be theirs.
  if (runs.some((r) => (r.result.foreignCores ?? 0) > DISTURBED_CORES)) {
    for (const f of figures) if (f.verdict.startsWith('B ')) f.verdict += ' (disturbed runs)';
  }
  return { name, label, runs, figures };
}
const missing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || Number.isNaN(n);
const num = (n: number | null | undefined) => (missing(n) ? '—' : Math.round(n).toLocaleString('en-US'));
/** Milliseconds: latencies to 0.01 ms below 10 ms, CPU per request to the µs. */
const ms = (n: number | null | undefined, decimals?: number) => (missing(n) ? '—' : n.toFixed(decimals ?? (n < 10 ? 2 : 1)));
const cpuMs = (n: number | null | undefined) => ms(n, 3);
const figureValue = (f: AbFigure, n: number | null | undefined) =>
  f.unit === 'calls' ? f2(n) : f.unit !== 'ms' ? num(n) : f.name.startsWith('server CPU') ? cpuMs(n) : ms(n);
const f2 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2));
const cell = (text: string) => text.replace(/\|/g, '/').replace(/\n/g, ' ');

/** A run's figures in one cell, and whatever makes them suspect (answers not 2xx, failed samples). */
function runCells(s: ScenarioResult): { figures: string; problems: string } {
  if (s.status !== 'measured') return { figures: `not measured: ${cell(s.note ?? '')}`, problems: '' };
  if (s.takeover) {
    const t = s.takeover;
    return { figures: `p50 ${ms(t.p50Ms)} / p99 ${ms(t.p99Ms)} ms`, problems: t.failures ? `${t.failures} failed` : '' };
  }
  const reply = describeReplyScenario(s);
  if (reply) return { figures: cell(reply), problems: (replyScenarioCells(s)?.failures ?? 0) ? `${replyScenarioCells(s)!.failures} failed` : '' };
  const v = s.server!;
  const bad = v.non2xx + v.errors + v.timeouts;
  const cpu = s.serverCpuMsPerRequest === undefined ? '' : `, CPU ${cpuMs(s.serverCpuMsPerRequest)} ms/req`;
  return {
    figures: `${num(v.rps)} req/s, p50 ${ms(v.p50Ms)} / p99 ${ms(v.p99Ms)} ms${cpu}`,
    problems: bad ? `${num(bad)} not 2xx` : '',
  };
}

export function abMarkdown(r: AbResults): string {
  const runs = r.configs.flatMap((c) => c.scenarios.flatMap((s) => s.runs));
  const worst = Math.max(0, ...runs.map((run) => run.result.foreignCores ?? 0));
  const lines: string[] = [
    `# A/B benchmark: A ${r.a.commit} vs B ${r.b.commit} (${r.mode} run)`,
    '',
    `${r.startedAt} · ${r.durationS.toFixed(0)} s · ${r.machine.nproc} cores (${r.machine.cpu}), ${r.machine.memoryGb.toFixed(0)} GB, ` +
      `Node ${r.machine.node}, ${r.machine.os}`,
    '',
    `- **A**: ${r.a.ref} at ${r.a.commit}, node ${r.a.nodeFlags.join(' ')}`,
    `- **B**: ${r.b.ref === r.b.commit ? r.b.commit : `\`${r.b.ref}\` = ${r.b.commit}`} (checked out in ${r.b.repoDir}), node ${r.b.nodeFlags.join(' ')}`,
    '',
    `${r.rounds} rounds per scenario. A round runs A and B, each on a fresh server on a fresh copy of its own seeded ` +
      'database (each version seeds with its own bench/servers/seed.ts); the order alternates between rounds (A B, B A, …). ' +
      'Both get the same environment, the same HubSpot sandbox process and the same requests, built and signed by this tree. ' +
      `Load: ${r.settings.connections} connections, ${r.settings.durationS} s per run after ${r.settings.warmupS} s warm-up. ` +
      'No hello-world ceiling runs: B is compared with A, not with the ceiling.',
    '',
    'B/A is the ratio of the two runs of the same round, summarised as its median (min–max over the rounds). ' +
      'The verdict names a difference only when every round moved the same way and the medians differ by more than ' +
      "A's own spread (max − min of A's runs); otherwise \"within noise\".",
    '',
    worst <= DISTURBED_CORES
      ? `Machine quiet during the measurements (other jobs used at most ${f2(worst)} cores).`
      : `**DISTURBED RUN: other jobs on this machine used up to ${f2(worst)} of its ${r.machine.nproc} cores during ` +
        'some runs (marked below). Their figures are unreliable; rerun on a quiet machine.**',
    '',
  ];
  for (const c of r.configs) {
    lines.push(
      `## ${c.spec.label}`,
      '',
      `Seeded: A ${num(c.seeds.A.ms)} ms (${c.seeds.A.databaseMb.toFixed(1)} MB), B ${num(c.seeds.B.ms)} ms (${c.seeds.B.databaseMb.toFixed(1)} MB).`,
      '',
      '| scenario | figure | better | A median | B median | B/A median (min–max) | A min–max | verdict |',
      '|---|---|---|---:|---:|---:|---:|---|',
    );
    for (const s of c.scenarios) {
      for (const f of s.figures) {
        const measuredA = f.a.filter((v): v is number => v !== null);
        lines.push(
          `| ${s.label} | ${f.name === f.unit ? f.name : `${f.name} (${f.unit})`} | ${f.higherIsBetter ? 'higher' : 'lower'} | ${figureValue(f, f.medianA)} | ${figureValue(f, f.medianB)} | ` +
            `${f2(f.medianRatio)} (${f2(f.minRatio)}–${f2(f.maxRatio)}) | ` +
            `${measuredA.length ? `${figureValue(f, Math.min(...measuredA))}–${figureValue(f, Math.max(...measuredA))}` : '—'} | ${f.verdict} |`,
        );
      }
      if (!s.figures.length) lines.push(`| ${s.label} | — | — | — | — | — | — | no figures to compare |`);
    }
    lines.push('', `### Runs (${c.spec.label})`, '', '| scenario | round | order | version | figures | problems | other load |', '|---|---:|---|---|---|---|---:|');
    for (const s of c.scenarios) {
      for (const run of s.runs) {
        const { figures, problems } = runCells(run.result);
        const other = run.result.foreignCores;
        lines.push(
          `| ${s.name} | ${run.round} | ${run.position === 1 ? 'first' : 'second'} | ${run.side} | ${figures} | ${problems} | ` +
            `${f2(other)} cores${(other ?? 0) > DISTURBED_CORES ? ' **DISTURBED**' : ''} |`,
        );
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}
