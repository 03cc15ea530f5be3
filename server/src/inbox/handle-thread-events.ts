import type { AiCommand, NormalizedEvent } from '@opencx/shared';
import { applyAiCommand } from '../ai-control/apply-command';
import type { Store } from '../store/store';
import { nameActorLater, userActorNow } from '../sync/actors';
import { done, ignored, type EventHandler } from './event-context';
import { erasePersonalData } from './privacy';
import { ownerHoldingTickets } from './still-held';
import { ensureThreadSession } from '../sync/thread-sessions';

type Kind<K extends NormalizedEvent['kind']> = Extract<NormalizedEvent, { kind: K }>;

/** A new conversation: its session exists from now on (contact, channel), before any message. */
export const handleThreadCreated: EventHandler<Kind<'threadCreated'>> = async (ctx) => {
  const session = await ensureThreadSession(ctx, ctx.event.threadId);
  return session ? done(`session ${session.id}`) : ignored('the thread no longer exists');
};

/**
 * Owner gating. Assigned to an agent (`A-<userId>`): the AI pauses at once. Assigned to the AI user (the AI
 * sender): the conversation is the AI's again, so a pause an assignment caused is resumed (unless an agent still
 * holds the ticket), whatever the unassign policy. Unassigned: the organization's policy decides. Assigned to
 * something that is not a user (a bot, an integration) is not a human taking over.
 */
export const handleThreadAssigneeChanged: EventHandler<Kind<'threadAssigneeChanged'>> = async (ctx) => {
  const { event, deps } = ctx;
  if (event.actorId !== null && event.userId === null) return ignored(`assigned to ${event.actorId}, not a user`);
  const session = await ensureThreadSession(ctx, event.threadId);
  if (!session) return ignored('the thread no longer exists');
  if (session.status === 'deleted') return ignored('the session was deleted');
  const aiUser = ctx.connection.aiUser;
  if (event.userId !== null && aiUser !== null && event.userId === String(aiUser.hubspotUserId)) {
    const stillHeldBy = await ownerHoldingTickets(deps, session);
    return done(`assigned to the AI user ${event.userId}`, async (tx) => {
      await applyAiCommand({ store: tx }, session.id, { type: 'ownerCleared', policy: 'resume', stillHeldBy }, ctx.now);
    });
  }
  const assignee = event.userId ? userActorNow(deps, ctx.portalId, event.userId) : null;
  const command: AiCommand = assignee
    ? { type: 'ownerAssigned', owner: assignee.actor, detectedBy: 'webhook' }
    : {
        type: 'ownerCleared',
        policy: ctx.organization.unassignPolicy,
        stillHeldBy: ctx.organization.unassignPolicy === 'resume' ? await ownerHoldingTickets(deps, session) : null,
      };
  return done(
    assignee ? `assigned to user ${event.userId}` : 'unassigned',
    async (tx) => {
      await applyAiCommand({ store: tx }, session.id, command, ctx.now);
    },
    assignee ? () => nameActorLater(deps, [session.id], assignee) : undefined,
  );
};

/** Unlinks the session's tickets and marks it deleted: history stays, nothing acts on it any more. */
async function retireSession(tx: Store, sessionId: string, portalId: number, now: number): Promise<void> {
  await tx.sessions.setStatus(sessionId, 'deleted', now);
  for (const link of await tx.ticketLinks.listBySession(sessionId, 'active')) {
    await tx.ticketLinks.setStatus(portalId, link.ticketId, 'unlinked', now);
  }
}

/** Thread deleted (HubSpot's trash): the session is kept with its history but marked deleted. */
export const handleThreadDeleted: EventHandler<Kind<'threadDeleted'>> = async (ctx) => {
  const session = await ctx.deps.store.sessions.findByThread(ctx.portalId, ctx.event.threadId);
  if (!session) return ignored('no session for this thread');
  if (session.status === 'deleted') return done('already deleted');
  return done(`session ${session.id} deleted`, async (tx) => {
    await retireSession(tx, session.id, ctx.portalId, ctx.now);
    // The conversation is over for OpenCX too (its session is closed, through the outbox after the commit).
    if (await tx.opencxSessions.get(session.id)) {
      await tx.outbox.enqueue([{ sessionId: session.id, portalId: ctx.portalId, effect: { type: 'closeOpenCxSession' } }], ctx.now);
    }
  });
};

/** Thread permanently deleted: as a deletion, and its messages' text is erased (recorded in the audit trail). */
export const handleThreadPrivacyDeleted: EventHandler<Kind<'threadPrivacyDeleted'>> = async (ctx) => {
  const session = await ctx.deps.store.sessions.findByThread(ctx.portalId, ctx.event.threadId);
  if (!session) return ignored('no session for this thread');
  return done(`session ${session.id} deleted and erased`, async (tx) => {
    await retireSession(tx, session.id, ctx.portalId, ctx.now);
    await erasePersonalData(tx, session.id, ctx.now, { why: 'thread_privacy_deletion', threadId: ctx.event.threadId });
  });
};
