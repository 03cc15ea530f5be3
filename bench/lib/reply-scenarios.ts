// The two scenarios of what users feel (issue 21): `reply-latency` (customer message to AI reply under load,
// reply-latency.ts) and `hubspot-calls` (HubSpot API calls per handled event, hubspot-calls.ts). Their place in a
// run: how the runner starts them, the line it logs, their target rows and their sections of the report.
import type { PortalFixture } from './fixtures';
import type { Signer } from './hubspot-requests';
import { CALL_KINDS, measureHubSpotCalls, type HubSpotCallsFigures } from './hubspot-calls';
import { measureReplyLatency, PROBE_CALLS_PER_S, type ReplyLatencyFigures } from './reply-latency';
import type { LatencyFigures } from './takeover';
import type { ConfigResult, LoopDelay, ScenarioResult, TargetResult } from './report';
import { SandboxClient } from './sandbox-client';
import { TARGETS, marginBelow, type Settings } from './settings';

export type ReplyScenarioName = 'reply-latency' | 'hubspot-calls';

export interface ReplyScenarioContext {
  serverUrl: string;
  sandboxUrl: string;
  signer: Signer;
  /** The configuration's connected portals; the first is the probes' (it has the AI sender, seed.ts). */
  connected: PortalFixture[];
  settings: Settings;
  /** The runner's quiet-machine wrapper (run.ts `undisturbed`). */
  undisturbed<T>(work: () => Promise<T>): Promise<{ value: T; foreignCores: number }>;
  loopDelay(): Promise<LoopDelay>;
}

const f1 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const f2 = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2));
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');

export async function runReplyScenario(name: ReplyScenarioName, ctx: ReplyScenarioContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const sandbox = new SandboxClient(ctx.sandboxUrl);
  const [portal, ...others] = ctx.connected;
  if (!portal) throw new Error('no connected portal');
  await ctx.loopDelay();
  if (name === 'reply-latency') {
    const label = `customer message to AI reply, under ${f0(settings.backgroundEventsPerS)} events/s on the other ${f0(others.length)} portals`;
    const { value, foreignCores } = await ctx.undisturbed(() => measureReplyLatency({
      serverUrl: ctx.serverUrl,
      signer: ctx.signer,
      sandbox,
      portal,
      backgroundPortals: others,
      samples: settings.replySamples,
      backgroundEventsPerS: settings.backgroundEventsPerS,
      backgroundBatch: settings.backgroundBatch,
      backgroundRampMs: settings.backgroundRampMs,
      sampleTimeoutMs: 5000,
    }));
    return { name, label, status: 'measured', replyLatency: value, background: value.background, foreignCores, loopDelay: await ctx.loopDelay() };
  }
  const label = 'HubSpot API calls per handled event (no background, one event at a time)';
  const { value, foreignCores } = await ctx.undisturbed(() => measureHubSpotCalls({
    serverUrl: ctx.serverUrl,
    signer: ctx.signer,
    sandbox,
    portal,
    samples: settings.callSamples,
    stableMs: settings.callStableMs,
    sampleTimeoutMs: 10_000,
  }));
  return { name, label, status: 'measured', hubspotCalls: value, foreignCores, loopDelay: await ctx.loopDelay() };
}

const caughtUpText = (r: ReplyLatencyFigures) =>
  r.background === null ? 'no background' : r.caughtUpAfterMs === null ? 'the server had NOT caught up with the background when the probes began' : `the server caught up with the background ${f1(r.caughtUpAfterMs / 1000)} s after it started`;

const latencyLine = (what: string, l: LatencyFigures) =>
  `${what} p50 ${f1(l.p50Ms)} ms, p99 ${f1(l.p99Ms)} ms (${l.samples} samples, ${l.failures} failed${l.failureReasons[0] ? `: ${l.failureReasons[0]}` : ''})`;

/** The runner's log line for one of these scenarios; null for any other. */
export function describeReplyScenario(s: ScenarioResult): string | null {
  if (s.replyLatency) {
    const r = s.replyLatency;
    return `${latencyLine('new conversation', r.newConversation)}; ${latencyLine('follow-up', r.followUp)}; ${caughtUpText(r)}`;
  }
  if (s.hubspotCalls) return s.hubspotCalls.kinds.map((k) => `${k.kind} ${f2(k.perEvent)}${k.failures ? ` (${k.failures} failed)` : ''}`).join(', ');
  return null;
}

/** p50 and p99 cells of the scenario tables (the new conversation's; the follow-up is in its own section). */
export function replyScenarioCells(s: ScenarioResult): { p50Ms: number; p99Ms: number; failures: number } | null {
  if (s.replyLatency) return { p50Ms: s.replyLatency.newConversation.p50Ms, p99Ms: s.replyLatency.newConversation.p99Ms, failures: s.replyLatency.newConversation.failures + s.replyLatency.followUp.failures };
  if (s.hubspotCalls) return { p50Ms: NaN, p99Ms: NaN, failures: s.hubspotCalls.kinds.reduce((n, k) => n + k.failures, 0) };
  return null;
}

const measuredIn = (configs: ConfigResult[], name: ReplyScenarioName) => {
  for (const config of configs) {
    const scenario = config.scenarios.find((s) => s.name === name && s.status === 'measured');
    if (scenario) return { config, scenario };
  }
  return null;
};

/** Target rows: reply p99 of a new conversation and of a follow-up; calls per event of each kind against its budget. */
export function replyScenarioTargets(configs: ConfigResult[]): TargetResult[] {
  const targets: TargetResult[] = [];
  const latency = measuredIn(configs, 'reply-latency');
  const reply = latency?.scenario.replyLatency;
  for (const [what, figures] of [['new conversation', reply?.newConversation], ['follow-up', reply?.followUp]] as const) {
    targets.push({
      target: `customer message to AI reply p99, ${what}, under ${f0(1000)} events/s on other portals${latency ? ` (${latency.config.spec.label})` : ''}`,
      scenario: 'reply-latency',
      required: `≤ ${TARGETS.replyP99Ms} ms`,
      measured: figures ? `${f1(figures.p99Ms)} ms (p50 ${f1(figures.p50Ms)}, ${figures.samples} samples, ${figures.failures} failed)` : '—',
      pass: figures ? figures.p99Ms <= TARGETS.replyP99Ms && figures.failures === 0 : null,
      margin: marginBelow(figures?.p99Ms, TARGETS.replyP99Ms),
    });
  }
  const calls = measuredIn(configs, 'hubspot-calls')?.scenario.hubspotCalls;
  for (const kind of CALL_KINDS) {
    const k = calls?.kinds.find((x) => x.kind === kind);
    targets.push({
      target: `HubSpot calls per event: ${kind}`,
      required: k ? `≤ ${k.budget} (floor ${k.floor})` : '—',
      measured: k ? `${f2(k.perEvent)} (${k.samples} events${k.failures ? `, ${k.failures} failed` : ''})` : '—',
      pass: k ? k.perEvent <= k.budget && k.failures === 0 && k.samples > 0 : null,
    });
  }
  return targets;
}

const latencyRow = (what: string, l: LatencyFigures) =>
  `| ${what} | ${l.samples} | ${f1(l.p50Ms)} | ${f1(l.p90Ms)} | ${f1(l.p99Ms)} | ${f1(l.maxMs)} | ${l.failures} |`;

const operations = (byOperation: Record<string, number>) =>
  Object.entries(byOperation).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([op, n]) => `${op} ${f2(n)}`).join(', ') || 'none';

/** The report's sections for these scenarios (empty when neither ran). */
export function replyScenarioMarkdown(configs: ConfigResult[]): string[] {
  const lines: string[] = [];
  const latency = measuredIn(configs, 'reply-latency');
  const reply: ReplyLatencyFigures | undefined = latency?.scenario.replyLatency;
  if (latency && reply) {
    const bg = reply.background;
    lines.push(
      `## Customer message to AI reply (${latency.config.spec.label})`,
      '',
      'From the signed `conversation.newMessage` webhook sent to the reply present in the sandbox\'s thread (embedded FAQ agent), ' +
        `probes one at a time on the first portal; background ${bg ? `${f0(bg.eventsPerS)} events/s (${f0(bg.non2xx + bg.errors)} not 2xx)` : 'none'} ` +
        `spread over the other ${f0(reply.backgroundPortals)} portals; probes paced to ${PROBE_CALLS_PER_S} HubSpot calls/s (the portal's budget), ` +
        `begun once ${caughtUpText(reply)}.`,
      '',
      '| message | samples | p50 ms | p90 ms | p99 ms | max ms | failed |',
      '|---|---:|---:|---:|---:|---:|---:|',
      latencyRow('first message of a new conversation (thread with a ticket)', reply.newConversation),
      latencyRow('follow-up in a conversation the AI answered', reply.followUp),
      ...[...reply.newConversation.failureReasons, ...reply.followUp.failureReasons].map((r) => `- ${r}`),
      '',
    );
  }
  const calls: HubSpotCallsFigures | undefined = measuredIn(configs, 'hubspot-calls')?.scenario.hubspotCalls;
  if (calls) {
    lines.push(
      '## HubSpot calls per handled event',
      '',
      `One event at a time on a fresh server, no background; an event is done when its outcome is visible in the sandbox and the portal's ` +
        `call count has not moved for ${calls.stableMs} ms. Each kind's first event is a warm-up ("first event": cold caches), not counted. ` +
        'Breakdown: mean calls per event by HubSpot operation (test/sandbox/contract/operations.ts).',
      '',
      '| kind | measured (calls/event) | budget | floor | first event | events | breakdown by operation |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...calls.kinds.map((k) =>
        `| ${k.kind}: ${k.label} | ${f2(k.perEvent)}${k.min !== k.max ? ` (${k.min}–${k.max})` : ''} | ${k.budget} | ${k.floor} | ${k.coldCalls ?? '—'} | ` +
        `${k.samples}${k.failures ? ` (${k.failures} failed)` : ''} | ${operations(k.byOperation)} |`),
      '',
      'Floors (the least the product needs):',
      ...calls.kinds.map((k) => `- ${k.kind}, ${k.floor}: ${k.floorWhy}.`),
      ...calls.kinds.flatMap((k) => k.failureReasons.map((r) => `- failed (${k.kind}): ${r}`)),
      '',
    );
  }
  return lines;
}
