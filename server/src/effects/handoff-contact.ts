import type { ChatSession } from '@opencx/shared';
import { HubSpotApiError } from '../hubspot';
import { isNotFound } from '../failure';
import type { SyncDeps } from '../sync/sync-deps';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The customer's email: the thread's contact record's, else the sender address of the customer's latest email
 * in the thread (a visitor on chat may have no contact, or one without an email).
 */
async function customerEmail(deps: SyncDeps, session: ChatSession): Promise<{ email: string | null; contactId: string | null }> {
  let contactId: string | null = null;
  if (session.contactId) {
    try {
      const contact = await deps.hubspot.getContact(session.portalId, session.contactId);
      contactId = contact.id;
      const email = contact.properties['email'];
      if (email && EMAIL.test(email)) return { email: email.toLowerCase(), contactId };
    } catch (err) {
      // The thread's "contact" can be a visitor id HubSpot has no contact for.
      if (!isNotFound(err)) throw err;
    }
  }
  if (!session.threadId) return { email: null, contactId };
  const page = await deps.hubspot.listMessages(session.portalId, session.threadId, { order: 'newestFirst', limit: 50 });
  for (const m of page.results) {
    if (m.type !== 'MESSAGE' || m.direction !== 'INCOMING') continue;
    const id = m.senders?.find((s) => s.deliveryIdentifier?.type === 'HS_EMAIL_ADDRESS')?.deliveryIdentifier?.value;
    if (id && EMAIL.test(id)) return { email: id.toLowerCase(), contactId };
  }
  return { email: null, contactId };
}

// HubSpot refuses a second contact with the same email with 409 and names the existing one (UNVERIFIED wording,
// docs/hubspot-contract.md §5.6): a create that raced with another (or with our own crashed attempt) finds it so.
const existingIdOf = (err: unknown): string | null =>
  err instanceof HubSpotApiError && err.status === 409 ? (/Existing ID:\s*(\d+)/.exec(err.message)?.[1] ?? null) : null;

/**
 * The HubSpot contact of the customer: found by email, created when none has it; without an email, the thread's
 * own contact (or none). Searching first makes a retry after a crash find the contact created before.
 */
export async function findOrCreateContact(deps: SyncDeps, session: ChatSession): Promise<{ contactId: string | null; created: boolean }> {
  const { email, contactId } = await customerEmail(deps, session);
  if (!email) return { contactId, created: false };
  const found = await deps.hubspot.findContactByEmail(session.portalId, email);
  if (found) return { contactId: found, created: false };
  try {
    return { contactId: await deps.hubspot.createContact(session.portalId, { email }), created: true };
  } catch (err) {
    const existing = existingIdOf(err);
    if (existing) return { contactId: existing, created: false };
    throw err;
  }
}
