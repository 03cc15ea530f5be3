// What the gateway hands to the rest of the server: plain, SDK-free shapes.

export type PortalId = number;
export type PropertyValues = Record<string, string | null>;

export interface TicketView {
  id: string;
  subject: string | null;
  /** `hubspot_owner_id` (owner id, not user id); null when unassigned. */
  ownerId: string | null;
  pipeline: string | null;
  pipelineStage: string | null;
  properties: PropertyValues;
  contactIds: string[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface CrmRecord {
  id: string;
  properties: PropertyValues;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export type SearchOperator = 'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';

export interface TicketSearch {
  /** AND-ed filters (one filter group). */
  filters: { propertyName: string; operator: SearchOperator; value?: string; values?: string[] }[];
  properties?: string[];
  /** Max 200 per page (CRM search). */
  limit?: number;
  after?: string;
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
}

export interface SearchPage<T> {
  total: number;
  results: T[];
  nextAfter?: string;
}

export interface TicketPropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'select' | 'radio' | 'checkbox' | 'booleancheckbox' | 'number' | 'date' | 'calculation_equation' | 'file' | 'html' | 'phonenumber';
  groupName: string;
  description?: string;
  options?: { label: string; value: string; displayOrder?: number; hidden?: boolean; description?: string }[];
  hidden?: boolean;
  formField?: boolean;
}

export interface Owner {
  id: string;
  userId: number | undefined;
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

// Conversations shapes: UNVERIFIED exact field sets (docs/hubspot-contract.md §5.5); unknown fields are passed through.
export interface ConversationThread {
  id: string;
  status: 'OPEN' | 'CLOSED' | string;
  createdAt?: string;
  closedAt?: string;
  originalChannelId?: string;
  originalChannelAccountId?: string;
  inboxId?: string;
  associatedContactId?: string;
  assignedTo?: string;
  latestMessageTimestamp?: string;
  archived?: boolean;
  spam?: boolean;
  [field: string]: unknown;
}

export interface ConversationActorRef {
  actorId: string;
  name?: string;
  senderField?: string;
  recipientField?: string;
  deliveryIdentifier?: { type: string; value: string };
}

export interface ConversationMessage {
  id: string;
  type: 'MESSAGE' | 'COMMENT' | string;
  createdAt?: string;
  createdBy?: string;
  text?: string;
  richText?: string;
  subject?: string;
  direction?: 'INCOMING' | 'OUTGOING' | string;
  channelId?: string;
  channelAccountId?: string;
  conversationsThreadId?: string;
  senders?: ConversationActorRef[];
  recipients?: ConversationActorRef[];
  truncationStatus?: string;
  client?: { clientType?: string; integrationAppId?: number };
  [field: string]: unknown;
}

/** A thread read with `association=TICKET`: the ticket HubSpot links it to, if any. */
export interface ThreadWithTicket {
  thread: ConversationThread;
  ticketId: string | null;
}

/** Documented orders of a thread's messages; HubSpot's default (none given) is newest first. */
export type MessageOrder = 'newestFirst' | 'oldestFirst';

export interface MessagePage {
  results: ConversationMessage[];
  nextAfter?: string;
}

export interface SendMessageInput {
  text: string;
  richText?: string;
  /** An agent actor, `A-<userId>`. */
  senderActorId: string;
  channelId: string;
  channelAccountId: string;
  /** Email channel only (with subject). Request shape uses `deliveryIdentifiers`. */
  recipients?: { actorId?: string; name?: string; recipientField?: string; deliveryIdentifiers?: { type: string; value: string }[] }[];
  subject?: string;
}

export interface SendCommentInput {
  text: string;
  richText?: string;
}

export interface ConversationActor {
  id: string;
  type?: string;
  name?: string;
  email?: string | null;
  avatar?: string;
  [field: string]: unknown;
}

export interface AccountDetails {
  portalId: number;
  accountType?: string;
  timeZone?: string;
  companyCurrency?: string;
  uiDomain?: string;
  dataHostingLocation?: string;
  [field: string]: unknown;
}

export type PrivateAppTokenCheck =
  | { valid: true; portalId: number; account: AccountDetails }
  | { valid: false; reason: 'unauthorized' | 'forbidden_scope' };
