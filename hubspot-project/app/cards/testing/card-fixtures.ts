// Test helpers for the card's tests, kept apart from the card's code. Times match shared/src/card/format.test.ts.
import { vi } from 'vitest';
import type { CardApi } from '../card-api';
import type { AiStateView, CardCommandResult, CardStatus } from '../shared-generated/contract';

/** 2025-03-12 12:00 in New York. */
export const NOW = Date.parse('2025-03-12T16:00:00Z');
export const NY = 'America/New_York';
export const minutesAgo = (n: number) => NOW - n * 60_000;

type Paused = Extract<AiStateView, { status: 'paused' }>;
type Handoff = Extract<AiStateView, { status: 'handoff_requested' }>;

export const jane = { kind: 'hubspot_owner', id: '52550153', name: 'Jane' } as const;

export const ACTIVE: AiStateView = { status: 'active', since: null };
export const PAUSED_BY_JANE: Paused = {
  status: 'paused',
  source: 'agent_took_ownership',
  by: jane,
  reason: null,
  since: minutesAgo(3),
  until: null,
};
export const PAUSED_BY_WORKFLOW: Paused = {
  status: 'paused',
  source: 'workflow',
  by: { kind: 'workflow', id: '192814114', name: null },
  reason: 'VIP customer',
  since: minutesAgo(30),
  until: Date.parse('2025-03-12T18:30:00Z'),
};
export const HANDOFF: Handoff = {
  status: 'handoff_requested',
  reason: 'Customer asked for a human',
  requestedBy: { kind: 'ai', id: null, name: null },
  since: minutesAgo(12),
  requestId: 'msg-1',
};

export const statusOf = (ai: AiStateView, lastAiReply: { text: string; at: number } | null = null): CardStatus => ({
  view: 'status',
  ticketId: '1145814089',
  sessionId: 'session-1',
  ai,
  lastAiReply,
});

export const resultOf = (outcome: CardCommandResult['outcome'], ai: AiStateView): CardCommandResult => ({
  outcome,
  status: statusOf(ai),
});

/** A promise the test settles when it wants to, to look at the card while a request is in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function fakeApi(initial: CardStatus | Promise<CardStatus>) {
  const loadStatus = vi.fn<CardApi['loadStatus']>(() => Promise.resolve(initial));
  const sendCommand = vi.fn<CardApi['sendCommand']>();
  const api: CardApi = { loadStatus, sendCommand };
  return { api, loadStatus, sendCommand };
}
