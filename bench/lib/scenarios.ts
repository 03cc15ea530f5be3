// The request streams of the throughput scenarios, and the check that a scenario's route really does its work
// (not a 501 placeholder, not a failed-action answer) before it is measured.
import type { PortalFixture, TicketFixture } from './fixtures';
import { messageEvent, nextId, ownerChangeEvent, type BenchRequest, type Signer } from './hubspot-requests';
import type { ScenarioName } from './settings';

export interface ScenarioDef {
  label: string;
  eventsPerRequest: number;
  /** A fresh generator: its state (which tickets are paused) follows one target's answers. */
  generator(): () => BenchRequest;
  /** Null when the answer shows the route doing the scenario's work; otherwise why not. */
  check(status: number, body: string): string | null;
}

export interface ScenarioContext {
  signer: Signer;
  /** The portals the load goes to (events are spread over them round-robin). */
  portals: PortalFixture[];
  /** The tickets the action and card scenarios cycle through (each linked to an open session). */
  pool: TicketFixture[];
}

const byPortal = (portals: PortalFixture[]) => new Map(portals.map((p) => [p.portalId, p]));

function expect2xx(status: number, body: string): string | null {
  return status >= 200 && status < 300 ? null : `HTTP ${status}: ${body.slice(0, 300)}`;
}

export function scenarioDefs(ctx: ScenarioContext): Record<Exclude<ScenarioName, 'takeover' | 'card-latency' | 'reply-latency' | 'hubspot-calls'>, ScenarioDef> {
  const portalOf = byPortal(ctx.portals);
  const intake = (size: number): ScenarioDef => ({
    label: `webhook intake, ${size}-event batches`,
    eventsPerRequest: size,
    generator: () => {
      let cursor = 0;
      return () => {
        const now = Date.now();
        return ctx.signer.webhookBatch(
          Array.from({ length: size }, () => messageEvent(ctx.signer.app, ctx.portals[cursor++ % ctx.portals.length]!, now)),
        );
      };
    },
    check: expect2xx,
  });
  return {
    'intake-1': intake(1),
    'intake-1-spread': { ...intake(1), label: `webhook intake, 1-event batches spread over ${ctx.portals.length.toLocaleString('en-US')} portals` },
    'intake-10': intake(10),
    'intake-100': intake(100),
    'intake-owner': {
      label: 'webhook intake, owner changes of tickets not linked to a session',
      eventsPerRequest: 1,
      generator: () => {
        let cursor = 0;
        return () => {
          const portal = ctx.portals[cursor++ % ctx.portals.length]!;
          return ctx.signer.webhookBatch([ownerChangeEvent(ctx.signer.app, portal, nextId(), Date.now())]);
        };
      },
      check: expect2xx,
    },
    action: {
      label: 'workflow action (pause-ai / resume-ai)',
      eventsPerRequest: 1,
      generator: () => {
        // Each ticket alternates pause and resume, so every call changes the AI's state (no "already_paused").
        const paused = new Set<number>();
        let cursor = 0;
        return () => {
          const index = cursor++ % ctx.pool.length;
          const ticket = ctx.pool[index]!;
          const pausing = !paused.has(index);
          if (pausing) paused.add(index);
          else paused.delete(index);
          return pausing
            ? ctx.signer.action('pause-ai', ticket, { reason: 'benchmark' })
            : ctx.signer.action('resume-ai', ticket, {});
        };
      },
      check: (status, body) => {
        const problem = expect2xx(status, body);
        if (problem) return problem;
        const state = (JSON.parse(body) as { outputFields?: Record<string, string> }).outputFields?.['hs_execution_state'];
        return state === 'SUCCESS' ? null : `the action answered ${body.slice(0, 300)}`;
      },
    },
    card: {
      label: 'card status read',
      eventsPerRequest: 1,
      generator: () => {
        let cursor = 0;
        return () => {
          const ticket = ctx.pool[cursor++ % ctx.pool.length]!;
          return ctx.signer.cardStatus(portalOf.get(ticket.portalId)!, ticket);
        };
      },
      check: (status, body) => {
        const problem = expect2xx(status, body);
        if (problem) return problem;
        const view = (JSON.parse(body) as { view?: string }).view;
        return view === 'status' ? null : `the card answered ${body.slice(0, 300)}`;
      },
    },
  };
}

/** Sends one request of the stream; null when the route does the scenario's work. */
export async function probe(serverUrl: string, def: ScenarioDef, next: () => BenchRequest): Promise<string | null> {
  const request = next();
  try {
    const res = await fetch(serverUrl + request.path, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(10_000),
    });
    return def.check(res.status, await res.text());
  } catch (err) {
    return `request failed: ${String(err)}`;
  }
}
