// How many HubSpot API calls each portal made, by contract operation (state.apiCalls): counted by the contract
// guard for every call that reaches its route, so the benchmark can tell how many calls the server spends per
// event it handles (bench/lib/hubspot-calls.ts). Two map lookups per call; a reset clears the counts.
import type { AuthInfo } from './api-guard';
import type { SandboxState } from './runtime-types';

/** The counter a call goes to: its portal; `app` for the app's own token (no portal); `none` without a bearer. */
export const apiCallKey = (auth: AuthInfo | undefined): string => (auth ? (auth.kind === 'app' ? 'app' : String(auth.portalId)) : 'none');

export function countApiCall(state: SandboxState, auth: AuthInfo | undefined, operationId: string): void {
  const key = apiCallKey(auth);
  const byOperation = (state.apiCalls[key] ??= {});
  byOperation[operationId] = (byOperation[operationId] ?? 0) + 1;
}

/** A copy of the counts, of the given counters only (portal ids, `app`, `none`) or of every one. */
export function apiCallsOf(state: SandboxState, keys: readonly string[] = []): Record<string, Record<string, number>> {
  const wanted = keys.length > 0 ? keys : Object.keys(state.apiCalls);
  return Object.fromEntries(wanted.map((key) => [key, { ...(state.apiCalls[key] ?? {}) }]));
}
