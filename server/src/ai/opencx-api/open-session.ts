import type { ChatChannel, ChatSession } from '@opencx/shared';
import type { OpenCxSessionLink } from '../../store/opencx-sessions.store';
import type { CreateSessionRequest, OpenCxChannelType } from './schemas';
import type { OpenCxDeps } from './with-key';

/** HubSpot live chat is a web chat; other HubSpot channels have no OpenCX twin, so they go in as `api`. */
const CHANNELS: Record<ChatChannel, OpenCxChannelType> = { chat: 'web', email: 'email', other: 'api' };

/**
 * The session's contact and channel as OpenCX takes them (docs/opencx-api.md §2). We hold only HubSpot's ids, so
 * the contact is identified by its HubSpot contact id in the contact's custom data, and the session carries the
 * portal and thread as flat custom data (OpenCX refuses nested values).
 */
export function createSessionRequestOf(session: ChatSession): CreateSessionRequest {
  return {
    channel: { type: CHANNELS[session.channel] },
    custom_data: { hubspot_portal_id: String(session.portalId), ...(session.threadId ? { hubspot_thread_id: session.threadId } : {}) },
    ...(session.contactId ? { contact: { custom_data: { hubspot_contact_id: session.contactId } } } : {}),
  };
}

/** Creates the OpenCX session of a conversation and links it; `replace` swaps a retired or lost one. */
export async function openOpenCxSession(
  deps: OpenCxDeps,
  apiKey: string,
  session: ChatSession,
  replace: boolean,
  signal?: AbortSignal,
): Promise<OpenCxSessionLink> {
  const { id } = await deps.opencx.createSession(apiKey, createSessionRequestOf(session), signal);
  return deps.store.opencxSessions.link({ sessionId: session.id, organizationId: session.organizationId, opencxSessionId: id, replace }, deps.clock.now());
}
