// Portals (HubSpot accounts), their users/owners and contacts, plus the default demo portal.
import { SandboxError, uiOrigin, type ChangeOrigin, type SandboxContext } from './context';
import { isoAt, nextId, reserveId } from './ids';
import { builtInTicketProperties } from './state';
import type { SandboxContact, SandboxPortal, SandboxUser } from './types';

export interface CreateUserInput {
  userId?: number;
  ownerId?: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface CreatePortalInput {
  portalId?: number;
  name?: string;
  domain?: string;
  timeZone?: string;
  users?: CreateUserInput[];
}

export interface CreateContactInput {
  portalId: number;
  email: string;
  firstname?: string;
  lastname?: string;
}

export function requirePortal(ctx: SandboxContext, portalId: number): SandboxPortal {
  const portal = ctx.state.portals[String(portalId)];
  if (!portal) throw new SandboxError(`portal ${portalId} does not exist`, 404);
  return portal;
}

export function createPortal(ctx: SandboxContext, input: CreatePortalInput = {}): SandboxPortal {
  const portalId = input.portalId ?? 62515 + Object.keys(ctx.state.portals).length * 1111;
  if (ctx.state.portals[String(portalId)]) throw new SandboxError(`portal ${portalId} already exists`, 409);
  const at = ctx.now();
  const portal: SandboxPortal = {
    portalId,
    name: input.name ?? `Sandbox portal ${portalId}`,
    domain: input.domain ?? `portal-${portalId}.example.com`,
    accountType: 'STANDARD',
    timeZone: input.timeZone ?? 'Europe/Berlin',
    companyCurrency: 'EUR',
    uiDomain: 'app.hubspot.com',
    dataHostingLocation: 'na1',
    // ASSUMPTION (UNVERIFIED): inbox and channel-account ids are opaque numeric strings. source: docs/hubspot-contract.md §5.5
    inboxId: String(portalId * 10 + 1),
    channelAccounts: { '1000': String(148662 + (portalId % 1000)), '1002': String(248662 + (portalId % 1000)) },
    users: {},
    owners: {},
    contacts: {},
    tickets: {},
    notes: {},
    threads: {},
    ticketProperties: builtInTicketProperties(at),
  };
  ctx.state.portals[String(portalId)] = portal;
  // Every HubSpot account has at least one user (the one who can install apps); `users: []` opts out.
  const users = input.users ?? [{ email: `admin@${portal.domain}`, firstName: 'Alex', lastName: 'Admin' }];
  for (const user of users) addUser(ctx, portal, user);
  return portal;
}

/** A HubSpot user always has an owner record; the owner id differs from the user id (docs/hubspot-contract.md §5.4). */
export function addUser(ctx: SandboxContext, portal: SandboxPortal, input: CreateUserInput): SandboxUser {
  const userId = input.userId ?? nextId(ctx.state, 'user');
  if (input.userId !== undefined) reserveId(ctx.state, 'user', input.userId);
  if (portal.users[String(userId)]) throw new SandboxError(`user ${userId} already exists in portal ${portal.portalId}`, 409);
  const ownerId = input.ownerId ?? String(nextId(ctx.state, 'owner'));
  if (input.ownerId !== undefined) reserveId(ctx.state, 'owner', Number(input.ownerId));
  const at = isoAt(ctx.now());
  const user: SandboxUser = { userId, email: input.email, firstName: input.firstName, lastName: input.lastName, ownerId };
  portal.users[String(userId)] = user;
  portal.owners[ownerId] = {
    id: ownerId,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    userId,
    userIdIncludingInactive: userId,
    createdAt: at,
    updatedAt: at,
    archived: false,
    teams: [{ id: '1', name: 'Support', primary: true }],
  };
  return user;
}

export function requireUser(portal: SandboxPortal, userId: number): SandboxUser {
  const user = portal.users[String(userId)];
  if (!user) throw new SandboxError(`user ${userId} does not exist in portal ${portal.portalId}`, 404);
  return user;
}

export function createContact(ctx: SandboxContext, input: CreateContactInput, origin: ChangeOrigin = uiOrigin()): SandboxContact {
  const portal = requirePortal(ctx, input.portalId);
  const id = String(nextId(ctx.state, 'contact'));
  const at = isoAt(ctx.now());
  const contact: SandboxContact = {
    id,
    properties: {
      createdate: at,
      lastmodifieddate: at,
      hs_object_id: id,
      email: input.email,
      firstname: input.firstname ?? null,
      lastname: input.lastname ?? null,
    },
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
  portal.contacts[id] = contact;
  ctx.emit(portal.portalId, { kind: 'object.creation', objectType: 'contact', objectId: id, origin });
  return contact;
}

export function requireContact(portal: SandboxPortal, contactId: string): SandboxContact {
  const contact = portal.contacts[contactId];
  if (!contact || contact.archived) throw new SandboxError(`contact ${contactId} does not exist in portal ${portal.portalId}`, 404);
  return contact;
}

export const contactName = (c: SandboxContact): string =>
  [c.properties['firstname'], c.properties['lastname']].filter(Boolean).join(' ') || (c.properties['email'] ?? `Contact ${c.id}`);

/** The portal the local run installs into: two agents with owners and one customer. */
export function seedDemoPortal(ctx: SandboxContext): SandboxPortal {
  const portal = createPortal(ctx, {
    portalId: 62515,
    name: 'Demo Help Desk',
    domain: 'demo-helpdesk.example.com',
    users: [
      { userId: 9586504, ownerId: '52550153', email: 'jane.agent@example.com', firstName: 'Jane', lastName: 'Agent' },
      { userId: 9586505, ownerId: '52550154', email: 'sam.support@example.com', firstName: 'Sam', lastName: 'Support' },
    ],
  });
  createContact(ctx, { portalId: portal.portalId, email: 'chris.customer@example.com', firstname: 'Chris', lastname: 'Customer' });
  return portal;
}
