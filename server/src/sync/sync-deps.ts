import type { Timestamp } from '@opencx/shared';
import type { AppDeps } from '../deps';

/**
 * What the sync shell (event handlers, AI replies, effects) uses: the store, HubSpot, the AI, time and logs, and
 * the per-server signals and caches.
 */
export type SyncDeps = Pick<
  AppDeps,
  'config' | 'store' | 'clock' | 'logger' | 'hubspot' | 'ai' | 'opencx' | 'signals' | 'ownerNames' | 'incomingMessages' | 'metrics'
>;

/** Where a handler acts: one portal of one organization, at one instant. */
export interface PortalContext {
  deps: SyncDeps;
  portalId: number;
  organizationId: string;
  now: Timestamp;
}
