import type { Timestamp } from '@opencx/shared';
import type { AppDeps, WorkerDeps } from '../deps';
import { JournalError, type AppLifecycleEvent, type JournalClient } from '../hubspot/journal-client';
import { startPollLoop } from '../work/poll-loop';

export const UNINSTALLED_REASON = 'the app was uninstalled in HubSpot';
const OFFSET_KEY = 'hubspot.journal.offset';
const BATCH = 100;

type Deps = Pick<AppDeps, 'store' | 'clock' | 'logger'>;

/**
 * An uninstall in HubSpot disconnects the portal's connection at once: tokens deleted, every row kept, a problem for
 * the admin. An uninstall older than the connection (the portal was connected again since) changes nothing; an
 * install changes nothing either (a connection is made by the OAuth callback). Idempotent: a second instance
 * applying the same event finds the connection already disconnected.
 */
export async function applyLifecycleEvent(deps: Deps, event: AppLifecycleEvent, now: Timestamp): Promise<boolean> {
  if (event.action !== 'APP_UNINSTALL') return false;
  const connection = await deps.store.connections.findByPortal(event.portalId);
  if (!connection || connection.status === 'disconnected' || connection.authMode !== 'oauth') return false;
  if (event.occurredAt < connection.connectedAt) return false;
  if (!(await deps.store.connections.disconnect(event.portalId, UNINSTALLED_REASON, now))) return false;
  await deps.store.problems.record({
    organizationId: connection.organizationId, portalId: event.portalId, kind: 'app_uninstalled',
    message: `Portal ${event.portalId}: ${UNINSTALLED_REASON}.`, threadId: null, at: now,
  });
  deps.logger.info({ organizationId: connection.organizationId, portalId: event.portalId }, 'HubSpot app uninstalled: connection disconnected');
  return true;
}

/**
 * Reads the app's Webhooks Journal every HUBSPOT_JOURNAL_POLL_SECONDS (docs/hubspot-contract.md §1.5). Several
 * instances may poll together: the offset read so far is kept in the database (app_meta) and applying an event is
 * idempotent, so an entry read twice (two instances, or an offset written back late) does no harm.
 */
export function startJournalPoller(deps: WorkerDeps): void {
  const journal = deps.journal;
  if (!journal) return;
  startPollLoop(deps, 'hubspot-journal', deps.config.journalPollMs, async () => {
    const offset = await deps.store.appSecrets.getValue(OFFSET_KEY);
    const entries = await readFrom(journal, offset);
    for (const entry of entries) {
      for (const event of entry.events) await applyLifecycleEvent(deps, event, deps.clock.now());
    }
    const last = entries.at(-1);
    if (last) await deps.store.appSecrets.setValue(OFFSET_KEY, last.offset, deps.clock.now());
    return { more: entries.length === BATCH };
    // The first read one interval after start, like every other: nothing at start waits on HubSpot's token endpoint.
  }, deps.config.journalPollMs);
}

/** The journal keeps 3 days: an offset older than that is a 404, and reading starts again from the earliest kept. */
async function readFrom(journal: JournalClient, offset: string | null) {
  try {
    return await journal.readAfter(offset, BATCH);
  } catch (error) {
    if (offset !== null && error instanceof JournalError && error.status === 404) return journal.readAfter(null, BATCH);
    throw error;
  }
}
