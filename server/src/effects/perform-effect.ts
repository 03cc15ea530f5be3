import { type Timestamp } from '@opencx/shared';
import type { ClaimedEffect } from '../store/effects-outbox.store';
import { closeOpenCxSession, forwardAgentMessage } from '../ai/opencx-api/session-hooks';
import { replyWithAi } from './ai-reply';
import { isNotFound } from '../failure';
import { buildHandoffNote } from './handoff-note';
import { copyCustomDataToTicket } from './handoff-custom-data';
import { tellCustomerOfHandoff } from './handoff-message';
import type { SyncDeps } from '../sync/sync-deps';
import { writeTicketAiStatus } from './ticket-ai-status';
import { assignDefaultOwner, beginHandoff } from './handoff-sequence';
import { markTicketHandedOff, writeHandoffStatusWithMark } from './handoff-mark';

const TRANSCRIPT_MESSAGES = 100;

/**
 * Runs `step` for each active ticket of the effect's session. A step named `stepName` is recorded once done, so a
 * retry after a partial failure skips the tickets already handled (needed for non-idempotent steps: notes). A
 * ticket HubSpot no longer has is unlinked rather than failing the effect forever.
 */
async function forEachTicket(
  deps: SyncDeps,
  claimed: ClaimedEffect,
  stepName: string | null,
  step: (ticketId: string) => Promise<unknown>,
): Promise<string> {
  const links = await deps.store.ticketLinks.listBySession(claimed.sessionId, 'active');
  let performed = 0;
  for (const link of links) {
    const stepKey = stepName && `effect:${claimed.id}:${stepName}:${link.ticketId}`;
    if (stepKey && (await deps.store.effectSteps.find(stepKey))) continue;
    try {
      const result = await step(link.ticketId);
      if (stepKey) await deps.store.effectSteps.record(stepKey, result ?? null, deps.clock.now());
      performed += 1;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await deps.store.ticketLinks.setStatus(link.portalId, link.ticketId, 'unlinked', deps.clock.now());
    }
  }
  return links.length === 0 ? 'no linked ticket' : `${performed} of ${links.length} ticket(s)`;
}

/**
 * Carries out one effect decided by the AI control (or by a customer message: askAiToReply) against HubSpot.
 * Every effect is safe to run again after a crash: ticket writes are PATCHes of a value; notes are recorded per
 * ticket once written (a crash between HubSpot's answer and the record can repeat one note: at least once);
 * replies go through replyWithAi's ledger (posted once). Returns a note for logs.
 */
export async function performEffect(deps: SyncDeps, claimed: ClaimedEffect, now: Timestamp = deps.clock.now()): Promise<string> {
  const { effect, portalId, sessionId } = claimed;
  switch (effect.type) {
    case 'setTicketAiStatus': {
      // A handoff's status change also carries the handoff mark: one update of the ticket for both (handoff-mark.ts).
      const { handoffRequestId } = effect;
      return forEachTicket(deps, claimed, null, (ticketId) =>
        handoffRequestId !== undefined
          ? writeHandoffStatusWithMark(deps, claimed, handoffRequestId, ticketId)
          : writeTicketAiStatus(deps, portalId, ticketId, effect.status));
    }
    case 'assignTicketOwner':
      return forEachTicket(deps, claimed, null, (ticketId) => deps.hubspot.updateTicket(portalId, ticketId, { hubspot_owner_id: effect.ownerId }));
    case 'setTicketPipelineStage':
      return forEachTicket(deps, claimed, null, (ticketId) => deps.hubspot.updateTicket(portalId, ticketId, { hs_pipeline_stage: effect.stage }));
    case 'writeHandoffNote': {
      // The handoff sequence (docs/handoff-and-sync.md, "Handoff"): ticket and contact, comment, then per ticket
      // the mark (unless the status effect before this one wrote it), the default owner and the note; last, the
      // customer's notice.
      const begun = await beginHandoff(deps, claimed, effect);
      const session = await deps.store.sessions.get(sessionId);
      await forEachTicket(deps, claimed, null, (ticketId) => markTicketHandedOff(deps, claimed, effect.requestId, ticketId));
      await forEachTicket(deps, claimed, null, (ticketId) => assignDefaultOwner(deps, session, effect, portalId, ticketId));
      await forEachTicket(deps, claimed, null, (ticketId) => copyCustomDataToTicket(deps, sessionId, portalId, ticketId));
      const history = await deps.store.chatHistory.listRecent(sessionId, TRANSCRIPT_MESSAGES);
      const html = buildHandoffNote({ reason: effect.reason, requestedBy: effect.requestedBy, history });
      const notes = await forEachTicket(deps, claimed, 'note', (ticketId) => deps.hubspot.createTicketNote(portalId, ticketId, html, now));
      return `${begun}; ${notes}; ${await tellCustomerOfHandoff(deps, claimed)}`;
    }
    case 'forwardToOpenCx': {
      const outcome = await forwardAgentMessage(deps, { sessionId, text: effect.text, agent: { hubspotUserId: effect.agent.hubspotUserId, name: effect.agent.name ?? 'Agent' }, takeOver: effect.takeOver });
      return `OpenCX: ${outcome.kind}${outcome.kind === 'skipped' ? ` (${outcome.reason})` : ''}`;
    }
    case 'closeOpenCxSession': {
      const outcome = await closeOpenCxSession(deps, { sessionId });
      return `OpenCX: ${outcome.kind}${outcome.kind === 'skipped' ? ` (${outcome.reason})` : ''}`;
    }
    case 'askAiToReply': {
      const result = await replyWithAi(deps, sessionId, { instruction: effect.instruction });
      return `AI reply: ${result.kind}${'reason' in result ? ` (${result.reason})` : ''}`;
    }
    default: {
      const exhaustive: never = effect;
      throw new Error(`unknown effect ${JSON.stringify(exhaustive)}`);
    }
  }
}
