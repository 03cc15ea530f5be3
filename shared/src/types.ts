/**
 * The product's records, as the domain sees them. Storage maps rows to these shapes; nothing here knows SQL.
 * Times are epoch milliseconds (`Timestamp`) so that comparisons and arithmetic stay trivial and timezone-free.
 */
export type Timestamp = number;

/** What un-assigning the agent (ticket owner or thread assignee cleared) does to a pause the agent caused. */
export type UnassignPolicy = 'stay_paused' | 'resume';

export interface Organization {
  id: string;
  name: string;
  /** OAuth-only organizations never see the legacy Private App form, and the API refuses it. */
  oauthOnly: boolean;
  unassignPolicy: UnassignPolicy;
  /**
   * What the customer is told when the AI hands the conversation to a person. Absent: DEFAULT_HANDOFF_MESSAGE;
   * empty: nothing is sent.
   */
  handoffMessage?: string;
  createdAt: Timestamp;
}

export const DEFAULT_HANDOFF_MESSAGE = 'Thanks for your patience: a teammate will reply shortly.';

export type AuthMode = 'oauth' | 'private_app';
export type ConnectionStatus = 'connected' | 'reconnect_required' | 'disconnected';

/** Who connected the portal, as HubSpot's token metadata tells us (OAuth) or the admin who pasted the token. */
export interface ConnectedBy {
  hubspotUserId: number | null;
  email: string | null;
}

/**
 * The link between one organization and one HubSpot portal. Tokens are never part of this shape: they live
 * encrypted in the store and are handed out only by the token provider.
 */
/**
 * The HubSpot teammate the AI posts as ("AI sender"): replies go out under this user, and a conversation assigned
 * to this user is still the AI's (not a human takeover).
 */
export interface AiUser {
  hubspotUserId: number;
  name: string | null;
  email: string | null;
}

export interface HubSpotConnection {
  organizationId: string;
  portalId: number;
  authMode: AuthMode;
  status: ConnectionStatus;
  connectedBy: ConnectedBy;
  connectedAt: Timestamp;
  scopes: readonly string[];
  hubDomain: string | null;
  /** Why the connection needs attention (e.g. the refresh token was rejected), shown to the admin. */
  statusReason: string | null;
  /** Null until an admin picks the AI sender (OAuth) or gives the Default User ID (Private App): the AI does not post. */
  aiUser: AiUser | null;
  updatedAt: Timestamp;
}

export type ChatChannel = 'chat' | 'email' | 'other';

/**
 * `deleted`: HubSpot deleted the thread; the session and its history are kept, but nothing acts on it any more.
 * `closed`: the thread was closed; a new customer message reopens it.
 */
export type SessionStatus = 'open' | 'closed' | 'deleted';

/** One AI conversation: a HubSpot conversation thread (when there is one) and the ticket(s) linked to it. */
export interface ChatSession {
  id: string;
  organizationId: string;
  portalId: number;
  threadId: string | null;
  contactId: string | null;
  channel: ChatChannel;
  status: SessionStatus;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type ChatRole = 'customer' | 'ai' | 'agent' | 'system';

export interface ChatMessage {
  id: string;
  sessionId: string;
  role: ChatRole;
  text: string;
  /** HubSpot's message id, when the message exists in a thread; unique per session. */
  hubspotMessageId: string | null;
  createdAt: Timestamp;
  /** Set when a privacy deletion erased the personal data of this message. */
  erasedAt: Timestamp | null;
}

/** `stale` links belong to a portal the organization has left; they are kept, never deleted. */
export type TicketLinkStatus = 'active' | 'stale' | 'unlinked';

export interface TicketLink {
  sessionId: string;
  portalId: number;
  ticketId: string;
  status: TicketLinkStatus;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The signature appended to AI replies on email threads. */
export interface SignatureSettings {
  organizationId: string;
  enabled: boolean;
  text: string;
  updatedAt: Timestamp;
}
