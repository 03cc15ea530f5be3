import { DEFAULT_HANDOFF_MESSAGE } from '@opencx/shared';
import type { ClaimedEffect } from '../store/effects-outbox.store';
import type { SyncDeps } from '../sync/sync-deps';
import { findReplyTarget, senderActorOf } from './reply-target';
import { toRichText } from './reply-text';

/**
 * On a handoff, the customer is told that a person will answer (the organization's message; empty sends none),
 * on the conversation's own channel and as the AI sender, so nobody is left in silence. Recorded as a step of the
 * effect, so a retry of the effect after a later failure does not tell the customer twice (a crash between
 * HubSpot's answer and the record can: at least once, like the notes).
 */
export async function tellCustomerOfHandoff(deps: SyncDeps, claimed: ClaimedEffect): Promise<string> {
  const stepKey = `effect:${claimed.id}:customer-message`;
  if (await deps.store.effectSteps.find(stepKey)) return 'customer already told';
  const session = await deps.store.sessions.get(claimed.sessionId);
  if (!session?.threadId || session.status === 'deleted') return 'no conversation to tell the customer in';
  const organization = await deps.store.organizations.get(session.organizationId);
  const text = (organization?.handoffMessage ?? DEFAULT_HANDOFF_MESSAGE).trim();
  if (text === '') return 'no handoff message configured';
  const connection = await deps.store.connections.findByPortal(session.portalId);
  const sender = connection ? senderActorOf(connection) : null;
  if (!sender) return 'no AI sender to tell the customer as';
  // The notice answers the customer's latest message we recorded, as an AI reply does (ai-reply.ts): its channel
  // fields are then in memory from the intake (incoming-messages.ts) or one read away, and the thread need not be
  // listed. Only a session with no recorded customer message (or one without a HubSpot id) leaves findReplyTarget
  // to look for the thread's latest incoming message with messages.list: nothing else names the message to answer.
  const trigger = await deps.store.chatHistory.findLatestByRole(session.id, 'customer');
  const target = await findReplyTarget(deps, session, trigger, sender);
  if (!target) return 'no customer message to answer';
  const sent = await deps.hubspot.sendThreadMessage(session.portalId, session.threadId, { ...target, text, richText: toRichText(text) });
  await deps.store.effectSteps.record(stepKey, { messageId: sent.id }, deps.clock.now());
  return 'customer told';
}
