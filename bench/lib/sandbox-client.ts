// The runner's hands in the bench sandbox (its own process): what a customer or an agent does in HubSpot, through
// the sandbox's control API (test/sandbox/control-routes.ts), and what the runner reads back (control-reads.ts:
// API calls counted by portal and operation, a thread's new messages, a ticket). None of it is a HubSpot API call,
// so none of it is counted as one.
import type { PortalFixture } from './fixtures';
import { nextId, type RawEvent } from './hubspot-requests';
import type { BenchApp } from './fixtures';

export interface ThreadMessage {
  id: string;
  type: 'MESSAGE' | 'COMMENT';
  direction?: 'INCOMING' | 'OUTGOING';
  createdBy: string;
  createdAt: string;
  client: { clientType: string; integrationAppId?: number };
  text: string;
}

/** A conversation as HubSpot's help desk opens it: a contact, a ticket, and the thread associated with the ticket. */
export interface Conversation {
  portalId: number;
  contactId: string;
  ticketId: string;
  threadId: string;
  /** Messages in the thread so far (the index the next new one will have). */
  messageCount: number;
}

export interface SandboxUserFixture {
  userId: number;
  ownerId: string;
  email: string;
}

export class SandboxClient {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 10_000): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} ${path.split('?')[0]}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  private control<T>(operation: string, input: unknown): Promise<T> {
    return this.call<T>('POST', `/_sandbox/${operation}`, input);
  }

  createUser(portalId: number, user: { email: string; firstName: string; lastName: string }): Promise<SandboxUserFixture> {
    return this.control('create-user', { portalId, ...user });
  }

  /** A visitor writes in: contact, ticket and thread (the ticket associated with it), with the first message. */
  async openConversation(portalId: number, text: string): Promise<Conversation & { messageId: string }> {
    const tag = nextId();
    const contact = await this.control<{ id: string }>('create-contact', { portalId, email: `visitor-${tag}@bench.example`, firstname: 'Visitor' });
    const ticket = await this.control<{ id: string }>('create-ticket', { portalId, subject: `Bench conversation ${tag}`, contactId: contact.id });
    const thread = await this.control<{ id: string; messages: Array<{ id: string }> }>('create-thread', {
      portalId, contactId: contact.id, ticketId: ticket.id, text,
    });
    return { portalId, contactId: contact.id, ticketId: ticket.id, threadId: thread.id, messageCount: thread.messages.length, messageId: thread.messages.at(-1)!.id };
  }

  /** The customer writes again; returns the message's id (the conversation's count moves past it). */
  async postCustomerMessage(conversation: Conversation, text: string): Promise<string> {
    const message = await this.control<{ id: string }>('post-customer-message', { portalId: conversation.portalId, threadId: conversation.threadId, text });
    conversation.messageCount += 1;
    return message.id;
  }

  setTicketOwner(portalId: number, ticketId: string, owner: SandboxUserFixture): Promise<unknown> {
    return this.control('set-ticket-owner', { portalId, ticketId, ownerId: owner.ownerId, actingUserId: owner.userId });
  }

  /** HubSpot runs a workflow's custom action on a ticket: the sandbox signs and sends it to `actionUrl`. */
  runWorkflowAction(input: { portalId: number; action: string; actionUrl: string; ticketId: string; inputFields: Record<string, string> }): Promise<{
    status: string;
    outputFields?: Record<string, string>;
    attempts: Array<{ status?: number; error?: string; responseBody?: string }>;
  }> {
    return this.control('run-workflow-action', {
      portalId: input.portalId, actionUid: input.action, actionUrl: input.actionUrl, objectType: 'TICKET', objectId: input.ticketId, inputFields: input.inputFields,
    });
  }

  /** The HubSpot API calls the portal has made so far, by contract operation id. */
  async apiCalls(portalId: number): Promise<Record<string, number>> {
    return (await this.allApiCalls(`?portalId=${portalId}`))[String(portalId)] ?? {};
  }

  /** The HubSpot API calls made so far by every portal (`none`, `app`: calls without one), by operation id. */
  async allApiCalls(query = ''): Promise<Record<string, Record<string, number>>> {
    return (await this.call<{ byPortal: Record<string, Record<string, number>> }>('GET', `/_sandbox/api-calls${query}`)).byPortal;
  }

  /** The thread's messages from index `since` on; with `waitMs`, waits (long poll) until there is one. */
  threadMessages(portalId: number, threadId: string, since: number, waitMs = 0): Promise<{ count: number; messages: ThreadMessage[] }> {
    return this.call('GET', `/_sandbox/thread-messages?portalId=${portalId}&threadId=${threadId}&since=${since}&waitMs=${waitMs}`, undefined, waitMs + 10_000);
  }

  ticket(portalId: number, ticketId: string): Promise<{ properties: Record<string, string>; noteIds: string[] }> {
    return this.call('GET', `/_sandbox/ticket?portalId=${portalId}&ticketId=${ticketId}`);
  }
}

/** The AI's reply: a message our app posted as the AI sender (docs/hubspot-contract.md §5.5). */
export const isAiReply = (m: ThreadMessage, app: BenchApp, aiSender: Pick<PortalFixture, 'userId'>): boolean =>
  m.type === 'MESSAGE' && m.direction === 'OUTGOING' && m.client.integrationAppId === app.appId && m.createdBy === `A-${aiSender.userId}`;

/**
 * Waits until `accept` finds a message past the conversation's known messages (long polls, so the runner learns of
 * it at once and spends nothing while waiting), and says when it learnt of it (performance.now()); moves the
 * conversation's count past what it saw. Null on timeout.
 */
export async function waitForMessage(
  sandbox: SandboxClient,
  conversation: Conversation,
  accept: (m: ThreadMessage) => boolean,
  timeoutMs: number,
): Promise<{ message: ThreadMessage; seenAt: number } | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = Math.round(deadline - performance.now());
    if (left <= 0) return null;
    const page = await sandbox.threadMessages(conversation.portalId, conversation.threadId, conversation.messageCount, left);
    const seenAt = performance.now();
    conversation.messageCount = page.count;
    const found = page.messages.find(accept);
    if (found) return { message: found, seenAt };
  }
}

/** HubSpot's `conversation.newMessage` for a message that is really in the sandbox (docs/hubspot-contract.md §2.6). */
export function newMessageEvent(app: BenchApp, conversation: Conversation, messageId: string, now: number): RawEvent {
  return {
    eventId: nextId(),
    subscriptionId: 27,
    portalId: conversation.portalId,
    appId: app.appId,
    occurredAt: now,
    subscriptionType: 'conversation.newMessage',
    attemptNumber: 0,
    objectId: Number(conversation.threadId),
    messageId,
    messageType: 'MESSAGE',
    changeFlag: 'NEW_MESSAGE',
  };
}
