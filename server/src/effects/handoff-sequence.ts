import type { AiEffect, ChatSession } from '@opencx/shared';
import type { ClaimedEffect } from '../store/effects-outbox.store';
import { linkTicket } from '../sync/thread-sessions';
import type { SyncDeps } from '../sync/sync-deps';
import { onceForEffect } from './effect-step';
import { findOrCreateContact } from './handoff-contact';
import { handoffComment } from './handoff-comment';
import { createHandoffTicket } from './handoff-ticket';

type HandoffEffect = Extract<AiEffect, { type: 'writeHandoffNote' }>;

const TRANSCRIPT_MESSAGES = 200;
const SUBJECT_CHARS = 80;

function subjectOf(history: { role: string; text: string; erasedAt: unknown }[]): string {
  const first = history.find((m) => m.role === 'customer' && m.erasedAt === null)?.text.replace(/\s+/g, ' ').trim();
  const topic = first ? (first.length > SUBJECT_CHARS ? `${first.slice(0, SUBJECT_CHARS)}…` : first) : 'Conversation';
  return `OpenCX handoff: ${topic}`;
}

/**
 * Steps 1–2 of the handoff (docs/handoff-and-sync.md, "Handoff"): for a conversation without a ticket, when the
 * organization creates tickets, the customer's contact is found or created and a ticket made for it, then linked
 * to the session so that the following effects (AI status, owner, stage) and later owner changes act on it.
 * Each create is recorded as a step of the effect, so a retry reuses what an earlier attempt created.
 */
async function ensureTicket(deps: SyncDeps, claimed: ClaimedEffect, session: ChatSession, effect: HandoffEffect): Promise<string> {
  const links = await deps.store.ticketLinks.listBySession(session.id, 'active');
  if (links.length > 0) return 'ticket exists';
  const settings = await deps.store.handoffSettings.get(session.organizationId);
  // A ticket created by an earlier attempt whose link was lost stays ours: relink rather than create another.
  const earlier = await deps.store.effectSteps.find(`effect:${claimed.id}:ticket`);
  if (!settings.createTicket && !earlier) return 'ticket creation off';
  const { contactId } = await onceForEffect(deps, claimed, 'contact', () => findOrCreateContact(deps, session));
  const history = await deps.store.chatHistory.listRecent(session.id, TRANSCRIPT_MESSAGES);
  const ticketId = await onceForEffect(deps, claimed, 'ticket', () =>
    createHandoffTicket(deps, { session, settings, contactId, summary: effect.reason, history, subject: subjectOf(history) }));
  await deps.store.transaction((tx) => linkTicket(tx, { portalId: session.portalId, ticketId, sessionId: session.id }, deps.clock.now()));
  return `ticket ${ticketId} created`;
}

/** Step 3: the internal comment on the conversation, posted once per handoff. */
async function postComment(deps: SyncDeps, claimed: ClaimedEffect, session: ChatSession, effect: HandoffEffect): Promise<string> {
  if (!session.threadId) return 'no thread';
  const comment = handoffComment({ reason: effect.reason, sentiment: effect.sentiment, language: effect.language });
  await onceForEffect(deps, claimed, 'comment', async () => (await deps.hubspot.sendThreadComment(session.portalId, session.threadId!, comment)).id);
  return 'comment';
}

/** Steps 1–3; the mark, the owner and the note are per linked ticket (perform-effect.ts). */
export async function beginHandoff(deps: SyncDeps, claimed: ClaimedEffect, effect: HandoffEffect): Promise<string> {
  const session = await deps.store.sessions.get(claimed.sessionId);
  if (!session) return 'no session';
  const ticket = await ensureTicket(deps, claimed, session, effect);
  return `${ticket}; ${await postComment(deps, claimed, session, effect)}`;
}

/**
 * Step 5: the organization's default owner for a linked ticket nobody owns, unless the request named an owner
 * (its own `assignTicketOwner` effect follows). A ticket an agent already owns keeps its owner.
 */
export async function assignDefaultOwner(deps: SyncDeps, session: ChatSession | null, effect: HandoffEffect, portalId: number, ticketId: string): Promise<void> {
  if (effect.ownerNamed || !session) return;
  const { defaultOwnerId } = await deps.store.handoffSettings.get(session.organizationId);
  if (!defaultOwnerId) return;
  const ticket = await deps.hubspot.getTicket(portalId, ticketId);
  if (ticket.ownerId === null) await deps.hubspot.updateTicket(portalId, ticketId, { hubspot_owner_id: defaultOwnerId });
}
