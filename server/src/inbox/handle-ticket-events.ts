import type { AiCommand, NormalizedEvent } from '@opencx/shared';
import { applyAiCommand } from '../ai-control/apply-command';
import { nameActorLater, ownerActorNow } from '../sync/actors';
import { done, ignored, type EventContext, type EventHandler } from './event-context';
import { agentHoldingThread } from './still-held';
import { resolveTicketSessions } from '../sync/ticket-sessions';

type Kind<K extends NormalizedEvent['kind']> = Extract<NormalizedEvent, { kind: K }>;

/**
 * A change we made ourselves through the API (a handoff assigning its owner) comes back as a webhook: it must
 * not count as an agent taking the ticket, or the handoff would turn into a pause.
 * UNVERIFIED: API writes report changeSource "INTEGRATION" with sourceId = the app id (docs/hubspot-contract.md §2.6,
 * docs/hubspot-contract.md §2.8 show `userId:` sources for UI changes only; the sandbox's ASSUMPTION).
 */
export const isOwnWrite = (ctx: EventContext): boolean => {
  const appId = ctx.deps.config.hubspot?.appId;
  const raw = ctx.event.raw;
  return appId !== undefined && raw.changeSource === 'INTEGRATION' && raw.sourceId === String(appId);
};

/** Ticket created: link it to the session of its conversation (created if we never saw the thread). */
export const handleTicketCreated: EventHandler<Kind<'ticketCreated'>> = async (ctx) => {
  const found = await resolveTicketSessions(ctx, ctx.event.ticketId);
  if (found.sessions.length === 0) return done('the ticket has no conversation (yet); linked on its first ownership change');
  return done(`linked to session ${found.sessions[0]!.id}`, found.link);
};

/**
 * `hubspot_owner_id` set: an agent owns the ticket, so the AI of its conversation pauses (the promise). Cleared:
 * the organization's unassign policy decides (stay paused, or resume a pause the agent caused).
 */
export const handleTicketOwnerChanged: EventHandler<Kind<'ticketOwnerChanged'>> = async (ctx) => {
  const { event, deps } = ctx;
  if (isOwnWrite(ctx)) return ignored('owner set by OpenCX itself (handoff)');
  const found = await resolveTicketSessions(ctx, event.ticketId);
  if (found.sessions.length === 0) return done('the ticket has no conversation: nothing to pause');
  // The pause never waits for HubSpot: the owner's name comes from the cache, or is filled in once known.
  const owner = event.ownerId ? ownerActorNow(deps, ctx.portalId, event.ownerId) : null;
  const policy = ctx.organization.unassignPolicy;
  const commands = new Map<string, AiCommand>();
  for (const session of found.sessions) {
    commands.set(
      session.id,
      owner
        ? { type: 'ownerAssigned', owner: owner.actor, detectedBy: 'webhook' }
        : { type: 'ownerCleared', policy, stillHeldBy: policy === 'resume' ? await agentHoldingThread(deps, session) : null },
    );
  }
  const sessionIds = found.sessions.map((s) => s.id);
  return done(
    owner ? `owner ${event.ownerId} assigned` : 'owner cleared',
    async (tx) => {
      await found.link(tx);
      for (const [id, command] of commands) await applyAiCommand({ store: tx }, id, command, ctx.now);
    },
    owner ? () => nameActorLater(deps, sessionIds, owner) : undefined,
  );
};

/** Ticket deleted: the link is kept as `unlinked` (history stays with the session); nothing acts on it again. */
export const handleTicketDeleted: EventHandler<Kind<'ticketDeleted'>> = async (ctx) => {
  const link = await ctx.deps.store.ticketLinks.findByTicket(ctx.portalId, ctx.event.ticketId);
  if (!link) return ignored('the ticket was never linked');
  if (link.status === 'unlinked') return done('already unlinked');
  return done(`unlinked from session ${link.sessionId}`, async (tx) => {
    await tx.ticketLinks.setStatus(ctx.portalId, ctx.event.ticketId, 'unlinked', ctx.now);
  });
};
