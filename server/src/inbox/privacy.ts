import type { NormalizedEvent, Timestamp } from '@opencx/shared';
import type { Store } from '../store/store';
import { done, ignored, type EventHandler } from './event-context';

const SYSTEM = { kind: 'system' as const, id: null, name: null };

/**
 * Blanks a session's chat history and AI reply texts, and says so in its audit trail. The rows stay (who spoke
 * when), so nothing else (AI status, ticket links) loses its history.
 */
export async function erasePersonalData(
  tx: Store,
  sessionId: string,
  now: Timestamp,
  detail: Record<string, string | null>,
): Promise<number> {
  const messages = await tx.chatHistory.eraseBySession(sessionId, now);
  const replies = await tx.aiReplies.eraseBySession(sessionId, now);
  await tx.aiControl.appendEvents(sessionId, [
    { type: 'personal_data_erased', at: now, actor: SYSTEM, detail: { ...detail, messages, replies } },
  ]);
  return messages;
}

/** GDPR deletion of a contact: the personal data of every session of that contact is erased. */
export const handleContactPrivacyDeleted: EventHandler<Extract<NormalizedEvent, { kind: 'contactPrivacyDeleted' }>> = async (ctx) => {
  const sessions = await ctx.deps.store.sessions.listByContact(ctx.portalId, ctx.event.contactId);
  if (sessions.length === 0) return ignored('no session of this contact');
  return done(`erased ${sessions.length} session(s)`, async (tx) => {
    for (const session of sessions) {
      await erasePersonalData(tx, session.id, ctx.now, { why: 'contact_privacy_deletion', contactId: ctx.event.contactId });
    }
  });
};
