// Sessions, history, ticket links and a signature for an organization: the data every Connect step must keep.
import type { Store } from '@opencx/server';

export async function seedProductData(store: Store, input: { organizationId: string; portalId: number; prefix?: string }, now = Date.now()) {
  const p = input.prefix ?? input.organizationId;
  for (const n of [1, 2]) {
    const sessionId = `${p}_ses_${n}`;
    await store.sessions.create({
      id: sessionId,
      organizationId: input.organizationId,
      portalId: input.portalId,
      threadId: `${p}_thread_${n}`,
      contactId: `${p}_contact_${n}`,
      channel: n === 1 ? 'chat' : 'email',
      status: 'open',
      createdAt: now,
      updatedAt: now,
    });
    await store.chatHistory.append({ id: `${p}_msg_${n}a`, sessionId, role: 'customer', text: 'Where is my order?', hubspotMessageId: `${p}_hs_${n}a`, createdAt: now, erasedAt: null });
    await store.chatHistory.append({ id: `${p}_msg_${n}b`, sessionId, role: 'ai', text: 'It ships today.', hubspotMessageId: `${p}_hs_${n}b`, createdAt: now + 1, erasedAt: null });
    await store.ticketLinks.link({ portalId: input.portalId, ticketId: `${p}_ticket_${n}`, sessionId }, now);
  }
  await store.signatures.save({ organizationId: input.organizationId, enabled: true, text: `— The ${p} team`, updatedAt: now });
}
