import type { NormalizedEvent, Timestamp } from '@opencx/shared';
import type { Store } from '../store/store';
import { done, type EventHandler } from './event-context';

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

/**
 * GDPR deletion of a contact: every personal datum of the contact goes — the text of every session of theirs,
 * and what operations.eraseContact lists (their id, reasons and instructions, pending work, action requests, the
 * payloads of finished events naming them). The audit trail says it happened, not whose. Then the files are
 * scrubbed (SQLite: the WAL checkpointed and truncated; secure_delete zeroed the freed space).
 */
export const handleContactPrivacyDeleted: EventHandler<Extract<NormalizedEvent, { kind: 'contactPrivacyDeleted' }>> = async (ctx) => {
  const { contactId } = ctx.event;
  const sessions = await ctx.deps.store.sessions.listByContact(ctx.portalId, contactId);
  const scrub = async () => {
    await ctx.deps.store.scrubFreedSpace?.();
  };
  if (sessions.length === 0) {
    // The payloads of this contact's past events (and of this one) still name them.
    return done('no session of this contact; its events erased', async (tx) => {
      await tx.operations.eraseContact(ctx.portalId, contactId, [], ctx.now);
    }, scrub);
  }
  return done(`erased ${sessions.length} session(s)`, async (tx) => {
    for (const session of sessions) await erasePersonalData(tx, session.id, ctx.now, { why: 'contact_privacy_deletion' });
    await tx.operations.eraseContact(ctx.portalId, contactId, sessions.map((s) => s.id), ctx.now);
  }, scrub);
};
