// Record shapes held in the sandbox's in-memory state. Plain objects (not Maps) so the whole state can be
// JSON-serialised for the control API and read directly by tests.

export type PropertyValues = Record<string, string | null>;

export interface SandboxUser {
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  ownerId: string;
}

/** Shape of GET /crm/v3/owners/{id} (docs/hubspot-contract.md §5.4). */
export interface SandboxOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

export interface CrmRecord {
  id: string;
  properties: PropertyValues;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxContact extends CrmRecord {}

export interface SandboxTicket extends CrmRecord {
  contactIds: string[];
  threadIds: string[];
  /** Notes associated to this ticket, oldest first, so tests can read what the app wrote. */
  noteIds: string[];
}

export interface SandboxNote extends CrmRecord {
  ticketIds: string[];
  contactIds: string[];
}

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined?: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface ActorRef {
  actorId: string;
  name?: string;
  deliveryIdentifier?: { type: string; value: string };
  senderField?: string;
  recipientField?: string;
}

export interface SandboxMessage {
  id: string;
  type: 'MESSAGE' | 'COMMENT';
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  client: { clientType: 'HUBSPOT' | 'INTEGRATION' | 'SYSTEM'; integrationAppId?: number };
  senders: ActorRef[];
  recipients: ActorRef[];
  archived: boolean;
  text: string;
  richText: string;
  attachments: unknown[];
  subject?: string;
  truncationStatus: 'NOT_TRUNCATED';
  inReplyToId?: string;
  status?: { statusType: 'SENT' | 'RECEIVED' };
  direction?: 'INCOMING' | 'OUTGOING';
  channelId?: string;
  channelAccountId?: string;
  conversationsThreadId: string;
}

export interface SandboxThread {
  id: string;
  createdAt: string;
  status: 'OPEN' | 'CLOSED';
  closedAt?: string;
  originalChannelId: string;
  originalChannelAccountId: string;
  inboxId: string;
  associatedContactId: string;
  assignedTo?: string;
  archived: boolean;
  spam: boolean;
  latestMessageTimestamp?: string;
  latestMessageSentTimestamp?: string;
  latestMessageReceivedTimestamp?: string;
  ticketId?: string;
  messages: SandboxMessage[];
}

export interface Installation {
  portalId: number;
  userId: number;
  scopes: string[];
  installedAt: string;
  active: boolean;
  uninstalledAt?: string;
}

export interface SandboxPortal {
  portalId: number;
  name: string;
  domain: string;
  accountType: string;
  timeZone: string;
  companyCurrency: string;
  uiDomain: string;
  dataHostingLocation: string;
  inboxId: string;
  /** Channel account id per channel id ('1000' live chat, '1002' email). */
  channelAccounts: Record<string, string>;
  users: Record<string, SandboxUser>;
  owners: Record<string, SandboxOwner>;
  contacts: Record<string, SandboxContact>;
  tickets: Record<string, SandboxTicket>;
  notes: Record<string, SandboxNote>;
  threads: Record<string, SandboxThread>;
  ticketProperties: Record<string, PropertyDefinition>;
  install?: Installation;
}
