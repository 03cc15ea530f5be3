// In-process control of the sandbox: everything a person does in HubSpot's UI (create tickets, assign, reply),
// plus test levers (faults, rate limit, delivery injections). The HTTP control API calls exactly these.
import { SandboxError, uiOrigin, type SandboxContext } from './context';
import { cardFetch, type CardFetchInput, type CardFetchResult } from './card-fetch';
import { createPrivateAppToken, expireAccessTokens, installWithTokens, requirePrivateApp, uninstallApp } from './grants';
import { nextId } from './ids';
import { addUser, createContact, createPortal, requirePortal, type CreateContactInput, type CreatePortalInput, type CreateUserInput } from './portals';
import type { ActionExecution, DeliveryInjections, Fault, SandboxState } from './runtime-types';
import {
  assignThread, createThread, deleteThread, postAgentMessage, postCustomerMessage, privacyDeleteContact, privacyDeleteThread,
  setThreadStatus, type CreateThreadInput,
} from './threads';
import { createTicket, deleteTicket, requireTicket, updateTicket, type CreateTicketInput } from './tickets';
import type { SandboxContact, SandboxMessage, SandboxNote, SandboxPortal, SandboxThread, SandboxTicket, SandboxUser } from './types';
import { runWorkflowAction, type RunWorkflowActionInput } from './workflow-actions';

type PortalRef = { portalId: number };

export interface FaultInput {
  /** e.g. '/crm', '/oauth', '/conversations'; omitted = all HubSpot API routes. */
  pathPrefix?: string;
  method?: string;
  /** 500/502/503 answer that status; 429 answers HubSpot's rate-limit body. */
  status?: number;
  /** Slow every matching request by this many ms, then answer normally. */
  delayMs?: number;
  /** Never answer until the fault is cleared or lapses. */
  hang?: boolean;
  durationMs?: number;
  count?: number;
}

export interface SandboxControl {
  snapshot(): SandboxState;
  reset(): void;
  createPortal(input?: CreatePortalInput): SandboxPortal;
  createUser(input: PortalRef & CreateUserInput): SandboxUser;
  createContact(input: CreateContactInput): SandboxContact;
  createTicket(input: CreateTicketInput & { actingUserId?: number }): SandboxTicket;
  updateTicket(input: PortalRef & { ticketId: string; properties: Record<string, string | null>; actingUserId?: number }): SandboxTicket;
  /** Assign (ownerId) or unassign (null) the ticket owner as an agent would in the UI. */
  setTicketOwner(input: PortalRef & { ticketId: string; ownerId: string | null; actingUserId?: number }): SandboxTicket;
  deleteTicket(input: PortalRef & { ticketId: string }): void;
  createThread(input: CreateThreadInput): SandboxThread;
  postCustomerMessage(input: PortalRef & { threadId: string; text: string; subject?: string }): SandboxMessage;
  postAgentMessage(input: PortalRef & { threadId: string; userId: number; text: string; type?: 'MESSAGE' | 'COMMENT' }): SandboxMessage;
  assignThread(input: PortalRef & { threadId: string; userId: number | null }): SandboxThread;
  setThreadStatus(input: PortalRef & { threadId: string; status: 'OPEN' | 'CLOSED' }): SandboxThread;
  deleteThread(input: PortalRef & { threadId: string }): void;
  privacyDeleteThread(input: PortalRef & { threadId: string }): void;
  privacyDeleteContact(input: PortalRef & { contactId: string }): void;
  /** Installs without the consent screen and returns a token pair (test shortcut). */
  installApp(input: PortalRef & { userId?: number; scopes?: string[] }): { accessToken: string; refreshToken: string; expiresIn: number };
  uninstallApp(input: PortalRef): void;
  createPrivateAppToken(input: PortalRef & { scopes?: string[] }): { token: string; portalId: number; scopes: string[]; appId: number; clientSecret: string };
  /** The Private App's Webhooks tab: where its own webhooks go (signed with its client secret). */
  setPrivateAppWebhook(input: { token: string; url: string }): void;
  /** Rotating the Private App's token in HubSpot: the old token stops working; the app still sends its webhooks. */
  revokePrivateAppToken(input: { token: string }): void;
  expireAccessTokens(input?: { portalId?: number }): { expired: number };
  setRateLimit(input: { max: number; intervalMs: number }): void;
  addFault(input: FaultInput): Fault;
  clearFaults(): void;
  setDeliveryInjections(input: DeliveryInjections): void;
  clearDeliveryInjections(): void;
  setWebhookTarget(url: string | null): void;
  runWorkflowAction(input: RunWorkflowActionInput): Promise<ActionExecution>;
  cardFetch(input: CardFetchInput): Promise<CardFetchResult>;
  notesForTicket(input: PortalRef & { ticketId: string }): SandboxNote[];
  /** Highest number of simultaneous webhook requests seen for a portal. */
  peakWebhookConcurrency(portalId: number): number;
}

export function createControl(ctx: SandboxContext, hooks: { reset(): void; peak(portalId: number): number }): SandboxControl {
  return {
    snapshot: () => structuredClone(ctx.state),
    reset: () => hooks.reset(),
    createPortal: (input) => createPortal(ctx, input),
    createUser: ({ portalId, ...user }) => addUser(ctx, requirePortal(ctx, portalId), user),
    createContact: (input) => createContact(ctx, input),
    createTicket: ({ actingUserId, ...input }) => createTicket(ctx, input, uiOrigin(actingUserId)),
    updateTicket: ({ actingUserId, ...input }) => updateTicket(ctx, input, uiOrigin(actingUserId)),
    setTicketOwner: ({ ownerId, actingUserId, ...input }) =>
      updateTicket(ctx, { ...input, properties: { hubspot_owner_id: ownerId ?? '' } }, uiOrigin(actingUserId)),
    deleteTicket: (input) => deleteTicket(ctx, input, uiOrigin()),
    createThread: (input) => createThread(ctx, input),
    postCustomerMessage: (input) => postCustomerMessage(ctx, input),
    postAgentMessage: (input) => postAgentMessage(ctx, input),
    assignThread: (input) => assignThread(ctx, input),
    setThreadStatus: (input) => setThreadStatus(ctx, input),
    deleteThread: (input) => deleteThread(ctx, input),
    privacyDeleteThread: (input) => privacyDeleteThread(ctx, input),
    privacyDeleteContact: (input) => privacyDeleteContact(ctx, input),
    installApp: (input) => installWithTokens(ctx, input),
    uninstallApp: ({ portalId }) => uninstallApp(ctx, portalId),
    createPrivateAppToken: (input) => {
      const { token, portalId, scopes, appId, clientSecret } = createPrivateAppToken(ctx, input);
      return { token, portalId, scopes, appId, clientSecret };
    },
    setPrivateAppWebhook: ({ token, url }) => {
      if (!/^https?:\/\//.test(url)) throw new SandboxError('url must be an http(s) URL');
      requirePrivateApp(ctx, token).webhookUrl = url;
    },
    revokePrivateAppToken: ({ token }) => {
      requirePrivateApp(ctx, token).revoked = true;
    },
    expireAccessTokens: (input) => ({ expired: expireAccessTokens(ctx, input?.portalId) }),
    setRateLimit: ({ max, intervalMs }) => {
      if (!(max > 0) || !(intervalMs > 0)) throw new SandboxError('max and intervalMs must be positive');
      ctx.state.rateLimit = { max, intervalMs };
    },
    addFault: (input) => addFault(ctx, input),
    clearFaults: () => {
      ctx.state.faults = [];
    },
    setDeliveryInjections: (input) => {
      ctx.state.webhook.injections = { ...input };
    },
    clearDeliveryInjections: () => {
      ctx.state.webhook.injections = {};
    },
    setWebhookTarget: (url) => {
      if (url === null || url === '') delete ctx.state.webhook.targetOverride;
      else ctx.state.webhook.targetOverride = new URL(url).toString();
    },
    runWorkflowAction: (input) => runWorkflowAction(ctx, input),
    cardFetch: (input) => cardFetch(ctx, input),
    notesForTicket: ({ portalId, ticketId }) => {
      const portal = requirePortal(ctx, portalId);
      return requireTicket(portal, ticketId).noteIds.map((id) => portal.notes[id]!).filter(Boolean);
    },
    peakWebhookConcurrency: (portalId) => hooks.peak(portalId),
  };
}

function addFault(ctx: SandboxContext, input: FaultInput): Fault {
  const kind: Fault['kind'] = input.hang ? 'hang' : input.status === 429 ? 'rate-limit' : input.status ? 'status' : input.delayMs ? 'delay' : 'status';
  if (kind === 'status' && input.status !== undefined && (input.status < 400 || input.status > 599)) {
    throw new SandboxError('status must be an HTTP error status (e.g. 500, 502, 503, 429)');
  }
  const fault: Fault = {
    id: nextId(ctx.state, 'fault'),
    pathPrefix: input.pathPrefix || undefined,
    method: input.method || undefined,
    kind,
    status: kind === 'status' ? (input.status ?? 500) : kind === 'rate-limit' ? 429 : undefined,
    delayMs: input.delayMs,
    until: input.durationMs !== undefined ? ctx.now() + input.durationMs : undefined,
    remaining: input.count,
    hits: 0,
  };
  ctx.state.faults.push(fault);
  return fault;
}
