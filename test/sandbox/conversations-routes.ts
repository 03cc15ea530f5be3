// Conversations v3 inbox API: threads, messages, actors (docs/hubspot-contract.md §5.5). Reads need
// conversations.read, writes conversations.write (docs/hubspot-contract.md §8.2 "Scopes").
import { Hono } from 'hono';
import { portalOf, type ApiEnv } from './api-guard';
import { documentedQuery, pathParam, serve } from './contract/route';
import type { SandboxContext } from './context';
import { hsError, notFound, validationError } from './hs-errors';
import { contactName } from './portals';
import { intParam, isObject, listParam, paginate, readJsonObject, type JsonObject } from './request-utils';
import { CHANNELS, deleteThread, messageView, postAgentMessage, setThreadStatus, threadView } from './threads';
import type { ActorRef, SandboxPortal, SandboxThread } from './types';

const BASE = '/conversations/v3/conversations';

function actorView(ctx: SandboxContext, portal: SandboxPortal, actorId: string): Record<string, unknown> | undefined {
  const [prefix, id] = [actorId.slice(0, 2), actorId.slice(2)];
  if (prefix === 'A-') {
    const user = portal.users[id];
    return user && { id: actorId, type: 'AGENT', name: `${user.firstName} ${user.lastName}`, email: user.email, avatar: `https://avatars.example.com/${user.userId}` };
  }
  if (prefix === 'V-') {
    const contact = portal.contacts[id];
    return contact && { id: actorId, type: 'VISITOR', name: contactName(contact), email: contact.properties['email'] ?? null };
  }
  if (prefix === 'I-' && id === String(ctx.app.appId)) return { id: actorId, type: 'INTEGRATOR', name: ctx.app.name };
  return undefined;
}

/** Request recipients use `deliveryIdentifiers` (list); stored messages show one `deliveryIdentifier`. */
function toRecipients(raw: unknown[]): ActorRef[] {
  return raw.filter(isObject).map((r) => {
    const ids = Array.isArray(r['deliveryIdentifiers']) ? r['deliveryIdentifiers'] : r['deliveryIdentifier'] ? [r['deliveryIdentifier']] : [];
    const first = ids.find(isObject);
    return {
      actorId: typeof r['actorId'] === 'string' ? r['actorId'] : first ? `E-${String(first['value'])}` : '',
      ...(typeof r['name'] === 'string' ? { name: r['name'] } : {}),
      recipientField: typeof r['recipientField'] === 'string' ? r['recipientField'] : 'TO',
      ...(first ? { deliveryIdentifier: { type: String(first['type']), value: String(first['value']) } } : {}),
    };
  });
}

/** The documented send rules; returns an error message or undefined (sandbox rules: ASSUMPTIONs noted). */
function messageProblem(portal: SandboxPortal, thread: SandboxThread, body: JsonObject): string | undefined {
  const type = body['type'];
  if (type !== 'MESSAGE' && type !== 'COMMENT') return 'type must be MESSAGE or COMMENT';
  if (typeof body['text'] !== 'string' || body['text'] === '') return 'text is required';
  // Both bodies of the spec (PublicConversationsMessageEgg, PublicCommentEgg) require `attachments` (a list).
  if (!Array.isArray(body['attachments'])) return 'attachments is required (a list; empty for text only)';
  if (type === 'COMMENT') {
    // A comment's body has type, text, richText and attachments only: HubSpot attributes it to the app itself.
    const unknown = Object.keys(body).filter((k) => !['type', 'text', 'richText', 'attachments'].includes(k));
    return unknown.length > 0 ? `Sandbox strict mode: a COMMENT has no field ${unknown.join(', ')} (HubSpot documents type, text, richText, attachments)` : undefined;
  }
  // UNVERIFIED: the spec also marks `recipients` required for every MESSAGE; what a live-chat reply would put in its
  // `deliveryIdentifiers` is not documented, so only email (where it is) is held to it. docs/hubspot-contract.md §5.5
  const sender = body['senderActorId'];
  if (sender !== undefined) {
    const match = /^A-(\d+)$/.exec(String(sender));
    if (!match || !portal.users[match[1]!]) return `senderActorId ${String(sender)} is not an agent actor (A-<userId>) of this account`;
  }
  if (sender === undefined) return 'senderActorId is required for MESSAGE';
  if (body['channelId'] === undefined || body['channelAccountId'] === undefined) return 'channelId and channelAccountId are required for MESSAGE';
  if (String(body['channelId']) !== thread.originalChannelId || String(body['channelAccountId']) !== thread.originalChannelAccountId) {
    // ASSUMPTION (UNVERIFIED): HubSpot rejects a channel that is not the thread's. source: docs/hubspot-contract.md §5.5 ("copy channelId/channelAccountId")
    return `channelId/channelAccountId ${String(body['channelId'])}/${String(body['channelAccountId'])} do not match the thread's channel`;
  }
  if (thread.originalChannelId === CHANNELS.EMAIL) {
    if (!Array.isArray(body['recipients']) || body['recipients'].length === 0) return 'recipients are required for email messages';
    if (typeof body['subject'] !== 'string' || body['subject'] === '') return 'subject is required for email messages';
  }
  return undefined;
}

export function conversationsRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const portalFor = (portalId: number) => ctx.state.portals[String(portalId)]!;
  const findThread = (portal: SandboxPortal, id: string, archivedOk = false) => {
    const t = portal.threads[id];
    return t && (!t.archived || archivedOk) ? t : undefined;
  };

  serve(r, ctx, 'threads.list', (c) => {
    const portal = portalFor(portalOf(c));
    const ticketId = c.req.query('associatedTicketId');
    const contactId = c.req.query('associatedContactId');
    const status = c.req.query('threadStatus');
    const archived = c.req.query('archived') === 'true';
    const threads = Object.values(portal.threads)
      .filter((t) => t.archived === archived)
      .filter((t) => ticketId === undefined || t.ticketId === ticketId)
      .filter((t) => contactId === undefined || t.associatedContactId === contactId)
      .filter((t) => status === undefined || t.status === status)
      .sort((a, b) => Number(a.id) - Number(b.id));
    // ASSUMPTION (UNVERIFIED): default page size 100 and ascending id order without `sort`. source: docs/hubspot-contract.md §5.5
    const limit = Math.min(Math.max(intParam(c.req.query('limit'), 100), 1), 500);
    const { page, next } = paginate(threads, c.req.query('after'), limit);
    const withTicket = listParam(c, 'association')?.includes('TICKET') ?? false;
    return c.json({ results: page.map((t) => threadView(t, withTicket)), ...(next ? { paging: { next: { after: next } } } : {}) });
  });

  serve(r, ctx, 'threads.getById', (c) => {
    const thread = findThread(portalFor(portalOf(c)), pathParam(c, 'threadId'), c.req.query('archived') === 'true');
    const withTicket = listParam(c, 'association')?.includes('TICKET') ?? false;
    return thread ? c.json(threadView(thread, withTicket)) : notFound(c, pathParam(c, 'threadId'));
  });

  serve(r, ctx, 'threads.update', async (c) => {
    const portal = portalFor(portalOf(c));
    const thread = findThread(portal, pathParam(c, 'threadId'));
    if (!thread) return notFound(c, pathParam(c, 'threadId'));
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const extra = Object.keys(body).filter((k) => k !== 'status');
    if (extra.length > 0 || (body['status'] !== 'OPEN' && body['status'] !== 'CLOSED')) {
      return validationError(c, 'Only {"status":"OPEN"|"CLOSED"} can be updated on a thread');
    }
    return c.json(threadView(setThreadStatus(ctx, { portalId: portal.portalId, threadId: thread.id, status: body['status'] }), false));
  });

  serve(r, ctx, 'threads.archive', (c) => {
    const portal = portalFor(portalOf(c));
    const thread = findThread(portal, pathParam(c, 'threadId'));
    if (!thread) return notFound(c, pathParam(c, 'threadId'));
    deleteThread(ctx, { portalId: portal.portalId, threadId: thread.id });
    return c.body(null, 204);
  });

  serve(r, ctx, 'messages.list', (c) => {
    const thread = findThread(portalFor(portalOf(c)), pathParam(c, 'threadId'));
    if (!thread) return notFound(c, pathParam(c, 'threadId'));
    // Newest first unless sort=createdAt (documented default, contract/operations.ts).
    // ASSUMPTION (UNVERIFIED): default page size 100. source: docs/hubspot-contract.md §5.5
    const ordered = documentedQuery(c, 'sort') === 'createdAt' ? thread.messages : [...thread.messages].reverse();
    const limit = Math.min(Math.max(intParam(c.req.query('limit'), 100), 1), 500);
    const { page, next } = paginate(ordered, c.req.query('after'), limit);
    return c.json({ results: page.map(messageView), ...(next ? { paging: { next: { after: next } } } : {}) });
  });

  serve(r, ctx, 'messages.getById', (c) => {
    const thread = findThread(portalFor(portalOf(c)), pathParam(c, 'threadId'));
    const message = thread?.messages.find((m) => m.id === pathParam(c, 'messageId'));
    return message ? c.json(messageView(message)) : notFound(c, pathParam(c, 'messageId'));
  });

  serve(r, ctx, 'messages.send', async (c) => {
    const portal = portalFor(portalOf(c));
    const thread = findThread(portal, pathParam(c, 'threadId'));
    if (!thread) return notFound(c, pathParam(c, 'threadId'));
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const problem = messageProblem(portal, thread, body);
    if (problem) return validationError(c, problem);
    const sender = typeof body['senderActorId'] === 'string' ? Number(body['senderActorId'].slice(2)) : undefined;
    const message = postAgentMessage(ctx, {
      portalId: portal.portalId,
      threadId: thread.id,
      userId: sender,
      text: String(body['text']),
      type: body['type'] as 'MESSAGE' | 'COMMENT',
      subject: typeof body['subject'] === 'string' ? body['subject'] : undefined,
      richText: typeof body['richText'] === 'string' ? body['richText'] : undefined,
      recipients: Array.isArray(body['recipients']) ? toRecipients(body['recipients']) : undefined,
      viaAppId: ctx.app.appId,
    });
    return c.json(messageView(message), 201);
  });

  serve(r, ctx, 'actors.getById', (c) => {
    const actor = actorView(ctx, portalFor(portalOf(c)), pathParam(c, 'actorId'));
    return actor ? c.json(actor) : notFound(c, pathParam(c, 'actorId'));
  });

  serve(r, ctx, 'actors.batchRead', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    if (!Array.isArray(body['inputs'])) return validationError(c, 'inputs is required');
    const startedAt = new Date(ctx.now()).toISOString();
    const portal = portalFor(portalOf(c));
    const ids = body['inputs'].map(String);
    const results = ids.map((id) => actorView(ctx, portal, id)).filter(Boolean);
    const missing = ids.filter((id) => !actorView(ctx, portal, id));
    const completedAt = new Date(ctx.now()).toISOString();
    if (missing.length === 0) return c.json({ status: 'COMPLETE', results, startedAt, completedAt });
    // ASSUMPTION (UNVERIFIED): partial batch reads answer 207 with per-id errors, like other HubSpot batch APIs. source: docs/hubspot-contract.md §5.5 (batch read shape not given)
    return c.json({
      status: 'COMPLETE', results, numErrors: missing.length, startedAt, completedAt,
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not find actors', context: { ids: missing } }],
    }, 207);
  });

  return r;
}
