// How operation modules reach the caller: by portal (token from the token source) or with an explicit token.
import type { SdkRun } from './api-caller';
import type { PortalId } from './gateway-types';

export interface CallOptions {
  /** Repeating the call cannot duplicate an effect; decides whether timeouts and 5xx are retried. */
  idempotent: boolean;
  /** Also counts against the portal's CRM search budget (docs/hubspot-contract.md §6: search has its own per-second limit). */
  search?: boolean;
}

export type PortalCall = <T>(portalId: PortalId, operation: string, options: CallOptions, run: SdkRun<T>) => Promise<T>;

export type TokenCall = <T>(token: string, operation: string, options: CallOptions, run: SdkRun<T>) => Promise<T>;
