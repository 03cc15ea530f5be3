// Conversation threads and messages (docs/hubspot-contract.md §5.5): creation, customer/agent/app messages,
// assignment, status, deletion — each emitting the matching conversation.* change.
import { SandboxError, type SandboxContext } from './context';
import { isoAt, nextId, randomHex } from './ids';
import { contactName, requireContact, requirePortal, requireUser } from './portals';
import { linkTicketThread, requireTicket } from './tickets';
import type { ActorRef, SandboxMessage, SandboxPortal, SandboxThread } from './types';

export const CHANNELS = { LIVE_CHAT: '1000', EMAIL: '1002' } as const;
export type ChannelName = keyof typeof CHANNELS;

export function requireThread(portal: SandboxPortal, threadId: string, includeArchived = false): SandboxThread {
  const thread = portal.threads[threadId];
  if (!thread || (thread.archived && !includeArchived)) throw new SandboxError(`thread ${threadId} does not exist in portal ${portal.portalId}`, 404);
  return thread;
}

export interface CreateThreadInput {
  portalId: number;
  contactId: string;
  channel?: ChannelName;
  /** First customer message, if any. */
  text?: string;
  subject?: string;
  ticketId?: string;
}

export function createThread(ctx: SandboxContext, input: CreateThreadInput): SandboxThread {
  const portal = requirePortal(ctx, input.portalId);
  requireContact(portal, input.contactId);
  const ticket = input.ticketId ? requireTicket(portal, input.ticketId) : undefined;
  const channelId = CHANNELS[input.channel ?? 'LIVE_CHAT'];
  if (!channelId) throw new SandboxError(`unknown channel ${input.channel}`);
  const id = String(nextId(ctx.state, 'thread'));
  const thread: SandboxThread = {
    id,
    createdAt: isoAt(ctx.now()),
    status: 'OPEN',
    originalChannelId: channelId,
    originalChannelAccountId: portal.channelAccounts[channelId] ?? '1',
    inboxId: portal.inboxId,
    associatedContactId: input.contactId,
    archived: false,
    spam: false,
    messages: [],
  };
  portal.threads[id] = thread;
  if (ticket) linkTicketThread(ticket, thread);
  ctx.emit(portal.portalId, { kind: 'conversation.creation', threadId: id });
  if (input.text) postCustomerMessage(ctx, { portalId: input.portalId, threadId: id, text: input.text, subject: input.subject });
  return thread;
}

const inboxAddress = (portal: SandboxPortal) => `support@${portal.domain}`;

function contactActor(portal: SandboxPortal, thread: SandboxThread, field: 'senderField' | 'recipientField'): ActorRef {
  const contact = portal.contacts[thread.associatedContactId];
  const actor: ActorRef = { actorId: `V-${thread.associatedContactId}`, name: contact ? contactName(contact) : undefined };
  if (thread.originalChannelId === CHANNELS.EMAIL) {
    actor[field] = field === 'senderField' ? 'FROM' : 'TO';
    actor.deliveryIdentifier = { type: 'HS_EMAIL_ADDRESS', value: contact?.properties['email'] ?? '' };
  }
  return actor;
}

function addMessage(ctx: SandboxContext, portal: SandboxPortal, thread: SandboxThread, message: SandboxMessage): SandboxMessage {
  thread.messages.push(message);
  thread.latestMessageTimestamp = message.createdAt;
  if (message.direction === 'INCOMING') thread.latestMessageReceivedTimestamp = message.createdAt;
  if (message.direction === 'OUTGOING') thread.latestMessageSentTimestamp = message.createdAt;
  ctx.emit(portal.portalId, { kind: 'conversation.newMessage', threadId: thread.id, messageId: message.id, messageType: message.type });
  return message;
}

function baseMessage(ctx: SandboxContext, thread: SandboxThread, fields: Partial<SandboxMessage> & Pick<SandboxMessage, 'type' | 'createdBy' | 'text'>): SandboxMessage {
  const at = isoAt(ctx.now());
  return {
    id: randomHex(16),
    createdAt: at,
    updatedAt: at,
    client: { clientType: 'HUBSPOT' },
    senders: [],
    recipients: [],
    archived: false,
    richText: `<p>${escapeText(fields.text)}</p>`,
    attachments: [],
    truncationStatus: 'NOT_TRUNCATED',
    conversationsThreadId: thread.id,
    ...fields,
  };
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function channelFields(thread: SandboxThread) {
  return { channelId: thread.originalChannelId, channelAccountId: thread.originalChannelAccountId };
}

export function postCustomerMessage(ctx: SandboxContext, input: { portalId: number; threadId: string; text: string; subject?: string }): SandboxMessage {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId);
  // A customer writing into a closed thread re-opens it, as in HubSpot's inbox.
  if (thread.status === 'CLOSED') setThreadStatus(ctx, { portalId: input.portalId, threadId: thread.id, status: 'OPEN' });
  const message = baseMessage(ctx, thread, {
    type: 'MESSAGE',
    createdBy: `V-${thread.associatedContactId}`,
    text: input.text,
    senders: [contactActor(portal, thread, 'senderField')],
    recipients: thread.originalChannelId === CHANNELS.EMAIL
      ? [{ actorId: `E-${inboxAddress(portal)}`, recipientField: 'TO', deliveryIdentifier: { type: 'HS_EMAIL_ADDRESS', value: inboxAddress(portal) } }]
      : [],
    subject: input.subject,
    status: { statusType: 'RECEIVED' },
    direction: 'INCOMING',
    ...channelFields(thread),
  });
  return addMessage(ctx, portal, thread, message);
}

export interface AgentMessageInput {
  portalId: number;
  threadId: string;
  /** The agent; may be omitted for an app-authored COMMENT (then the integration is the actor). */
  userId?: number;
  text: string;
  type?: 'MESSAGE' | 'COMMENT';
  subject?: string;
  recipients?: ActorRef[];
  richText?: string;
  /** Set when the app posts through the API (client INTEGRATION). */
  viaAppId?: number;
}

export function postAgentMessage(ctx: SandboxContext, input: AgentMessageInput): SandboxMessage {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId);
  const client = input.viaAppId !== undefined ? { clientType: 'INTEGRATION' as const, integrationAppId: input.viaAppId } : { clientType: 'HUBSPOT' as const };
  let sender: ActorRef;
  if (input.userId !== undefined) {
    const user = requireUser(portal, input.userId);
    sender = { actorId: `A-${user.userId}`, name: `${user.firstName} ${user.lastName}` };
  } else if (input.type === 'COMMENT' && input.viaAppId !== undefined) {
    // ASSUMPTION (UNVERIFIED): an app comment without senderActorId is attributed to the integration actor I-<appId>. source: docs/hubspot-contract.md §5.5 (actor prefixes)
    sender = { actorId: `I-${input.viaAppId}`, name: ctx.app.name };
  } else {
    throw new SandboxError('an agent userId is required');
  }
  if (input.type === 'COMMENT') {
    return addMessage(ctx, portal, thread, baseMessage(ctx, thread, {
      type: 'COMMENT', createdBy: sender.actorId, text: input.text, client, senders: [sender],
      ...(input.richText ? { richText: input.richText } : {}),
    }));
  }
  if (thread.originalChannelId === CHANNELS.EMAIL) {
    sender.senderField = 'FROM';
    sender.deliveryIdentifier = { type: 'HS_EMAIL_ADDRESS', value: inboxAddress(portal) };
  }
  return addMessage(ctx, portal, thread, baseMessage(ctx, thread, {
    type: 'MESSAGE',
    createdBy: sender.actorId,
    text: input.text,
    client,
    senders: [sender],
    recipients: input.recipients ?? [contactActor(portal, thread, 'recipientField')],
    subject: input.subject,
    status: { statusType: 'SENT' },
    direction: 'OUTGOING',
    ...channelFields(thread),
    ...(input.richText ? { richText: input.richText } : {}),
  }));
}

export function assignThread(ctx: SandboxContext, input: { portalId: number; threadId: string; userId: number | null }): SandboxThread {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId);
  const actor = input.userId === null ? undefined : `A-${requireUser(portal, input.userId).userId}`;
  if (thread.assignedTo === actor) return thread;
  thread.assignedTo = actor;
  // "if unassigned, it will be empty" (docs/hubspot-contract.md §2.6)
  ctx.emit(portal.portalId, { kind: 'conversation.propertyChange', threadId: thread.id, propertyName: 'assignedTo', propertyValue: actor ?? '' });
  return thread;
}

export function setThreadStatus(ctx: SandboxContext, input: { portalId: number; threadId: string; status: 'OPEN' | 'CLOSED' }): SandboxThread {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId);
  if (thread.status === input.status) return thread;
  thread.status = input.status;
  if (input.status === 'CLOSED') thread.closedAt = isoAt(ctx.now());
  else delete thread.closedAt;
  ctx.emit(portal.portalId, { kind: 'conversation.propertyChange', threadId: thread.id, propertyName: 'status', propertyValue: input.status });
  return thread;
}

/** Archives the thread (HubSpot's trash), like DELETE .../threads/{id}. */
export function deleteThread(ctx: SandboxContext, input: { portalId: number; threadId: string }): void {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId);
  thread.archived = true;
  ctx.emit(portal.portalId, { kind: 'conversation.deletion', threadId: thread.id });
}

/** Permanently removes the thread and its messages. */
export function privacyDeleteThread(ctx: SandboxContext, input: { portalId: number; threadId: string }): void {
  const portal = requirePortal(ctx, input.portalId);
  const thread = requireThread(portal, input.threadId, true);
  delete portal.threads[thread.id];
  for (const ticket of Object.values(portal.tickets)) ticket.threadIds = ticket.threadIds.filter((id) => id !== thread.id);
  ctx.emit(portal.portalId, { kind: 'conversation.privacyDeletion', threadId: thread.id });
}

/** GDPR delete of a contact: fires contact.privacyDeletion and the ordinary deletion (docs/hubspot-contract.md §2.5). */
export function privacyDeleteContact(ctx: SandboxContext, input: { portalId: number; contactId: string }): void {
  const portal = requirePortal(ctx, input.portalId);
  requireContact(portal, input.contactId);
  delete portal.contacts[input.contactId];
  for (const ticket of Object.values(portal.tickets)) ticket.contactIds = ticket.contactIds.filter((id) => id !== input.contactId);
  // ASSUMPTION (UNVERIFIED): the contact's threads stay. source: docs/hubspot-contract.md §2.5 (only the two contact events are documented)
  ctx.emit(portal.portalId, { kind: 'contact.privacyDeletion', objectId: input.contactId });
  ctx.emit(portal.portalId, { kind: 'object.deletion', objectType: 'contact', objectId: input.contactId, origin: { changeSource: 'GDPR' } });
}

/** A thread as the API shows it; `threadAssociations` only when the caller asked with `association=TICKET`. */
export function threadView(thread: SandboxThread, withTicket: boolean): Record<string, unknown> {
  const { messages: _messages, ticketId, ...rest } = thread;
  return withTicket && ticketId ? { ...rest, threadAssociations: { associatedTicketId: ticketId } } : rest;
}

export const messageView = (message: SandboxMessage): Record<string, unknown> => ({ ...message });
