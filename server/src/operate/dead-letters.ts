import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { DeadLetter, DeadLetterSelection } from '../store/operations.store';

/** No signals from the CLI: a server's workers find retried work at their next poll. */
type Deps = Pick<AppDeps, 'store' | 'clock'> & Partial<Pick<AppDeps, 'signals'>>;

export const DEAD_LETTERS_SHOWN = 100;

/** The organization's portal: dead letters belong to it, whichever way it is (or was) connected. */
async function portalOf(deps: Pick<AppDeps, 'store'>, organizationId: string): Promise<number | null> {
  return (await deps.store.connections.findByOrganization(organizationId))?.portalId ?? null;
}

/** The events and effects of an organization that failed for good, newest first. */
export async function listDeadLetters(deps: Pick<AppDeps, 'store'>, organizationId: string): Promise<DeadLetter[]> {
  const portalId = await portalOf(deps, organizationId);
  return portalId === null ? [] : deps.store.operations.listDeadLetters(portalId, DEAD_LETTERS_SHOWN);
}

/**
 * Retries (due now, attempts from zero, the workers woken) or discards dead letters of the organization only: an id
 * of another organization's dead letter matches nothing. Returns how many.
 */
export async function settleDeadLetters(deps: Deps, organizationId: string, action: 'retry' | 'discard', which: DeadLetterSelection): Promise<number> {
  const portalId = await portalOf(deps, organizationId);
  if (portalId === null) return 0;
  const now = deps.clock.now();
  if (action === 'discard') return deps.store.operations.discardDeadLetters(portalId, which, now);
  const count = await deps.store.operations.retryDeadLetters(portalId, which, now);
  if (count > 0) {
    deps.signals?.wake('inbox');
    deps.signals?.wake('effects');
  }
  return count;
}

/** `all`, `event:12` or `effect:34` (the CLI's and the forms' spelling). */
export function parseSelection(text: string): DeadLetterSelection {
  if (text === 'all') return 'all';
  const match = /^(event|effect):(\d{1,15})$/.exec(text);
  if (!match) throw new AppError('validation_failed', `expected all, event:<id> or effect:<id>, got "${text.slice(0, 40)}"`);
  return { kind: match[1] as 'event' | 'effect', id: Number(match[2]) };
}
