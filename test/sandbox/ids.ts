// Id generation. Numeric ids come from per-kind counters in the state so a reset gives the same ids again;
// opaque ids (tokens, message ids) are random like HubSpot's.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxState } from './runtime-types';

// Starting points borrowed from the reference examples so ids look like HubSpot's (docs/hubspot-contract.md §2.6, §5).
export const ID_STARTS = {
  contact: 101,
  ticket: 1145814089,
  note: 51234567001,
  thread: 7301394719,
  user: 9586504,
  owner: 52550153,
  eventId: 3816279340,
  enrollment: 56776413549,
  delivery: 1,
  batch: 1,
  execution: 1,
  cardFetch: 1,
  fault: 1,
  privateApp: 2_000_001,
} as const;

export type IdKind = keyof typeof ID_STARTS;

export function nextId(state: SandboxState, kind: IdKind): number {
  const current = state.counters[kind];
  const value = current === undefined ? ID_STARTS[kind] : current + 1;
  state.counters[kind] = value;
  return value;
}

/** Raises a counter past an explicitly chosen id so generated ids never collide with it. */
export function reserveId(state: SandboxState, kind: IdKind, used: number): void {
  const current = state.counters[kind] ?? ID_STARTS[kind] - 1;
  if (used > current) state.counters[kind] = used;
}

export const correlationId = (): string => randomUUID();

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

// HubSpot access tokens are opaque base64-ish strings starting with "C" (up to ~300 chars, docs/hubspot-contract.md §1.2).
export const newAccessToken = (): string => `C${randomBytes(72).toString('base64url')}`;

// Refresh tokens in the v1 guide example look like UUIDs (docs/hubspot-contract.md §1.2).
export const newRefreshToken = (): string => randomUUID();

// ASSUMPTION (UNVERIFIED): private app tokens look like "pat-na1-<uuid>"; source: HubSpot private apps UI, not in the reference.
export const newPrivateAppToken = (): string => `pat-na1-${randomUUID()}`;

export const newAuthCode = (): string => randomUUID();

export const isoAt = (ms: number): string => new Date(ms).toISOString();
