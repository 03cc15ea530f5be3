// What a run does, full or quick (BENCH_QUICK=1), and the targets of issue 9.

export type ScenarioName =
  | 'intake-1'
  | 'intake-10'
  | 'intake-100'
  | 'intake-owner'
  | 'intake-1-spread'
  | 'action'
  | 'card'
  | 'card-latency'
  | 'takeover'
  | 'reply-latency'
  | 'hubspot-calls';

export interface ConfigSpec {
  name: string;
  label: string;
  portals: number;
  storedEvents: number;
  scenarios: ScenarioName[];
  /** Drive the same requests at the hello-world ceiling too (main configuration only). */
  withCeiling: boolean;
}

export interface Settings {
  mode: 'full' | 'quick';
  /**
   * Some configurations or scenarios left out, or sizes changed: the results go to results/partial/ (not
   * committed), so that latest.* and history/ only ever hold full runs.
   */
  partial: boolean;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Tickets (each with a session and a link) the action and card scenarios cycle through. */
  poolTickets: number;
  /**
   * Takeover samples, the same in every configuration: the scaling comparison sets p99s side by side, and a p99 of
   * fewer samples is a different statistic (of 60 it is the maximum, of 200 the third-worst).
   */
  takeoverSamples: number;
  backgroundEventsPerS: number;
  backgroundBatch: number;
  /** Reply-latency samples of each kind (new conversation, follow-up). */
  replySamples: number;
  /** HubSpot-calls events per kind (after one warm-up), and how long the call count must stay still after each. */
  callSamples: number;
  callStableMs: number;
  /** Card reads per second of the card-latency scenario (under the background load), over 10 connections. */
  cardReadsPerS: number;
  profileS: number;
  /** Before each measured run, wait at most this long for other jobs on the machine to go quiet. */
  quietWaitMaxMs: number;
  /** Time the background load gets to reach its rate before a latency measurement starts. */
  backgroundRampMs: number;
  /** Profile the scenario behind each missed target (BENCH_PROFILE names scenarios to profile in any case). */
  profileMisses: boolean;
  configs: ConfigSpec[];
}

const ALL: ScenarioName[] = ['intake-1', 'intake-10', 'intake-100', 'action', 'card', 'card-latency', 'takeover', 'intake-owner', 'hubspot-calls'];
/**
 * Like for like: the load of these scenarios goes to the first portal in every configuration, so that only the
 * number of connected portals (or stored events) differs. Each configuration has HubSpot's per-portal request budget
 * (110 per 10 s) in the server's own limiter: spreading the load over more portals would let the workers do more
 * HubSpot calls in the background, which is a different load (measured separately by intake-1-spread).
 */
const SCALING: ScenarioName[] = ['intake-1', 'intake-100', 'action', 'card', 'card-latency', 'takeover'];

const PARTIAL_RUN_VARIABLES = [
  'BENCH_ONLY',
  'BENCH_SCENARIOS',
  'BENCH_DURATION',
  'BENCH_CONNECTIONS',
  'BENCH_TAKEOVER_SAMPLES',
  'BENCH_REPLY_SAMPLES',
  'BENCH_CALL_SAMPLES',
  'BENCH_STORED_EVENTS',
  'BENCH_BACKGROUND_EVENTS',
  'BENCH_SERVER_NODE_OPTIONS',
];

export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const quick = env['BENCH_QUICK'] === '1';
  const storedEvents = Number(env['BENCH_STORED_EVENTS'] ?? (quick ? 20_000 : 1_000_000));
  const scalingPortals = quick ? [1000] : [100, 10_000];
  const scaling: ScenarioName[] = quick ? ['intake-1', 'card-latency'] : SCALING;
  const settings: Settings = {
    mode: quick ? 'quick' : 'full',
    partial: PARTIAL_RUN_VARIABLES.some((name) => env[name] !== undefined && env[name] !== ''),
    connections: Number(env['BENCH_CONNECTIONS'] ?? 50),
    durationS: Number(env['BENCH_DURATION'] ?? (quick ? 1 : 10)),
    warmupS: quick ? 0.2 : 1,
    quietWaitMaxMs: quick ? 0 : 10_000,
    backgroundRampMs: quick ? 300 : 1000,
    profileMisses: !quick,
    poolTickets: 1000,
    takeoverSamples: Number(env['BENCH_TAKEOVER_SAMPLES'] ?? (quick ? 10 : 200)),
    backgroundEventsPerS: Number(env['BENCH_BACKGROUND_EVENTS'] ?? 1000),
    backgroundBatch: 10,
    replySamples: Number(env['BENCH_REPLY_SAMPLES'] ?? (quick ? 10 : 200)),
    callSamples: Number(env['BENCH_CALL_SAMPLES'] ?? (quick ? 3 : 20)),
    callStableMs: 300,
    cardReadsPerS: 100,
    profileS: Number(env['BENCH_PROFILE_S'] ?? (quick ? 1 : 5)),
    configs: [
      { name: 'main', label: '1 portal', portals: 1, storedEvents: 0, scenarios: ALL, withCeiling: true },
      ...scalingPortals.map((portals, i) => ({
        name: `portals-${portals}`,
        label: `${portals.toLocaleString('en-US')} portals`,
        portals,
        storedEvents: 0,
        // Reply latency needs other connected portals for its background (reply-latency.ts): the first of these.
        scenarios: [...scaling, 'intake-1-spread' as const, ...(i === 0 ? (['reply-latency'] as const) : [])],
        withCeiling: false,
      })),
      {
        name: 'stored-events',
        label: `1 portal, ${storedEvents.toLocaleString('en-US')} stored events`,
        portals: 1,
        storedEvents,
        scenarios: scaling,
        withCeiling: false,
      },
    ],
  };
  const only = env['BENCH_ONLY']?.split(',').map((s) => s.trim());
  if (only) settings.configs = settings.configs.filter((c) => only.includes(c.name));
  const scenarios = env['BENCH_SCENARIOS']?.split(',').map((s) => s.trim());
  if (scenarios) for (const c of settings.configs) c.scenarios = c.scenarios.filter((s) => scenarios.includes(s));
  return settings;
}

/** Scenarios without a target of their own run shorter and without the ceiling (findings, not figures to meet). */
export const FINDING_ONLY: readonly ScenarioName[] = ['intake-owner'];

export const TARGETS = {
  intakeRatio: 0.5,
  intake100EventsPerS: 20_000,
  takeoverP99Ms: 50,
  cardP99Ms: 10,
  /** Customer message to AI reply, new conversation and follow-up alike (issue 21). */
  replyP99Ms: 100,
  peakRssMb: 200,
  scalingFactor: 2,
};

/**
 * HubSpot API calls per handled event, by kind (bench/lib/hubspot-calls.ts, which holds each kind's floor): today's
 * measured figures, committed. A higher figure is a missed target (a regression); after a change that saves
 * calls, lower the budget to the new figure.
 */
export const HUBSPOT_CALL_BUDGETS = {
  'new-conversation': 4,
  'follow-up': 2,
  takeover: 1,
  'pause-ai': 1,
  'resume-ai': 1,
  'send-to-ai': 2,
  'request-handoff': 4,
};

/** The margin issue 21 asks of every figure with a numeric target, in every full run. */
export const MARGIN = 0.2;

/** `measured` against an upper bound (lower is better). */
export const marginBelow = (measured: number | undefined, bound: number): number | undefined =>
  measured === undefined || !Number.isFinite(measured) ? undefined : (bound - measured) / bound;
/** `measured` against a lower bound (higher is better). */
export const marginAbove = (measured: number | undefined, bound: number): number | undefined =>
  measured === undefined || !Number.isFinite(measured) ? undefined : (measured - bound) / bound;
