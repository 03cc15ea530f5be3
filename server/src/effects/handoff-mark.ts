import { AI_STATUS_PROPERTY, AI_STATUS_PROPERTY_NAME, HANDED_OFF_PROPERTY, HANDED_OFF_PROPERTY_NAME } from '@opencx/shared';
import { classifyFailure } from '../failure';
import type { ClaimedEffect } from '../store/effects-outbox.store';
import type { SyncDeps } from '../sync/sync-deps';
import { writeOwnedTicketProperties, writeOwnedTicketProperty, type OwnedPropertyWrite } from './own-ticket-property';
import { writeTicketAiStatus } from './ticket-ai-status';

type MarkDeps = Pick<SyncDeps, 'hubspot' | 'store' | 'clock'>;

const MARK: OwnedPropertyWrite = { property: { name: HANDED_OFF_PROPERTY_NAME, definition: HANDED_OFF_PROPERTY }, value: 'true' };
const HANDOFF_STATUS: OwnedPropertyWrite = { property: { name: AI_STATUS_PROPERTY_NAME, definition: AI_STATUS_PROPERTY }, value: 'handoff' };

/**
 * Records that a ticket got the mark of a handoff request together with its AI status. The status effect and the
 * handoff's own effect are two outbox entries that share the session and the request id, not an effect id.
 */
const markedKey = (sessionId: string, requestId: string, ticketId: string) => `handoff:${sessionId}:${requestId}:mark:${ticketId}`;

// Refusals that can be about one property's value (a validation error, another 4xx) and so need not hold for the
// other write: the two are then written alone, each failing as it would by itself. The rest (not found, transient,
// the connection lost) would fail both alike.
const refusedForOneValue = (err: unknown): boolean => ['hubspot_rejected', 'hubspot_failed'].includes(classifyFailure(err).kind);

/**
 * A handoff's status change (`setTicketAiStatus` with `handoffRequestId`): the AI status `handoff` and the handoff
 * mark in one update of the ticket, then recorded, so the handoff's effect does not write the mark again. When
 * HubSpot refuses the update for one value, the status is written alone (its failure, if it is the refused one,
 * fails this effect as a status write always did) and the mark is left to the handoff's effect, unrecorded.
 */
export async function writeHandoffStatusWithMark(deps: MarkDeps, claimed: ClaimedEffect, requestId: string, ticketId: string): Promise<void> {
  try {
    await writeOwnedTicketProperties(deps, claimed.portalId, ticketId, [HANDOFF_STATUS, MARK]);
  } catch (err) {
    if (!refusedForOneValue(err)) throw err;
    await writeTicketAiStatus(deps, claimed.portalId, ticketId, 'handoff');
    return;
  }
  await deps.store.effectSteps.record(markedKey(claimed.sessionId, requestId, ticketId), null, deps.clock.now());
}

/**
 * Marks the ticket as handed off (`opencx_handedoff` = true), creating the property if it is missing, unless the
 * request's status change already did in the same update (a ticket linked before the handoff began). A ticket
 * the handoff created, or one the status update could not mark, is marked here.
 */
export async function markTicketHandedOff(deps: MarkDeps, claimed: ClaimedEffect, requestId: string, ticketId: string): Promise<void> {
  if (await deps.store.effectSteps.find(markedKey(claimed.sessionId, requestId, ticketId))) return;
  await writeOwnedTicketProperty(deps, claimed.portalId, ticketId, MARK.property, MARK.value);
}
