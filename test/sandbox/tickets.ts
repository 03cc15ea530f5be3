// Ticket records: creation, validated property updates (emitting property-change events), deletion, and the
// CRM v3 SimplePublicObject view (docs/hubspot-contract.md §5.1).
import { SandboxError, type ChangeOrigin, type SandboxContext } from './context';
import type { PropertyProblem } from './hs-errors';
import { isoAt, nextId } from './ids';
import { requireContact, requirePortal } from './portals';
import type { CrmRecord, PropertyValues, SandboxPortal, SandboxTicket } from './types';

export function requireTicket(portal: SandboxPortal, ticketId: string): SandboxTicket {
  const ticket = portal.tickets[ticketId];
  if (!ticket || ticket.archived) throw new SandboxError(`ticket ${ticketId} does not exist in portal ${portal.portalId}`, 404);
  return ticket;
}

export function validateTicketProperties(portal: SandboxPortal, props: Record<string, unknown>): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const def = portal.ticketProperties[name];
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (!def || def.archived) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    } else if (def.modificationMetadata.readOnlyValue) {
      // ASSUMPTION (UNVERIFIED): error code for writing a read-only property. source: not in the reference
      problems.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
    } else if (name === 'hubspot_owner_id') {
      if (value !== '' && !portal.owners[value]) problems.push({ name, error: 'INVALID_OWNER_ID', message: `${value} is not a valid owner id` });
    } else if (def.type === 'enumeration' && !def.externalOptions && value !== '') {
      const allowed = def.options.map((o) => o.value);
      // HubSpot's multi-select values are ';'-separated; each part must be an option.
      const parts = def.fieldType === 'checkbox' ? value.split(';') : [value];
      if (!parts.every((p) => allowed.includes(p))) {
        problems.push({ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options: [${allowed.join(', ')}]` });
      }
    }
  }
  return problems;
}

/** Applies already-validated properties; returns the names whose value changed. */
export function applyTicketProperties(
  ctx: SandboxContext,
  portal: SandboxPortal,
  ticket: SandboxTicket,
  props: Record<string, unknown>,
  origin: ChangeOrigin,
): string[] {
  const changed: string[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const value = raw === null || raw === undefined ? '' : String(raw);
    if ((ticket.properties[name] ?? '') === value) continue;
    ticket.properties[name] = value;
    changed.push(name);
  }
  if (changed.length === 0) return changed;
  const at = isoAt(ctx.now());
  ticket.properties['hs_lastmodifieddate'] = at;
  ticket.updatedAt = at;
  for (const name of changed) {
    ctx.emit(portal.portalId, {
      kind: 'object.propertyChange', objectType: 'ticket', objectId: ticket.id, propertyName: name,
      propertyValue: ticket.properties[name] ?? '', origin,
    });
  }
  return changed;
}

export function updateTicket(
  ctx: SandboxContext,
  input: { portalId: number; ticketId: string; properties: Record<string, unknown> },
  origin: ChangeOrigin,
): SandboxTicket {
  const portal = requirePortal(ctx, input.portalId);
  const ticket = requireTicket(portal, input.ticketId);
  const problems = validateTicketProperties(portal, input.properties);
  if (problems.length > 0) throw new SandboxError(problems.map((p) => p.message).join('; '));
  applyTicketProperties(ctx, portal, ticket, input.properties, origin);
  return ticket;
}

export interface CreateTicketInput {
  portalId: number;
  subject: string;
  content?: string;
  ownerId?: string;
  pipelineStage?: string;
  contactId?: string;
  threadId?: string;
  properties?: Record<string, string>;
}

export function createTicket(ctx: SandboxContext, input: CreateTicketInput, origin: ChangeOrigin): SandboxTicket {
  const portal = requirePortal(ctx, input.portalId);
  const props: Record<string, string> = {
    hs_pipeline: '0',
    hs_pipeline_stage: input.pipelineStage ?? '1',
    subject: input.subject,
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(input.ownerId ? { hubspot_owner_id: input.ownerId } : {}),
    ...input.properties,
  };
  const problems = validateTicketProperties(portal, props);
  if (problems.length > 0) throw new SandboxError(problems.map((p) => p.message).join('; '));
  if (input.contactId) requireContact(portal, input.contactId);
  const thread = input.threadId ? portal.threads[input.threadId] : undefined;
  if (input.threadId && (!thread || thread.archived)) throw new SandboxError(`thread ${input.threadId} does not exist`, 404);

  const id = String(nextId(ctx.state, 'ticket'));
  const at = isoAt(ctx.now());
  const ticket: SandboxTicket = {
    id,
    properties: { ...props, createdate: at, hs_lastmodifieddate: at, hs_object_id: id },
    createdAt: at,
    updatedAt: at,
    archived: false,
    contactIds: input.contactId ? [input.contactId] : [],
    threadIds: [],
    noteIds: [],
  };
  portal.tickets[id] = ticket;
  if (thread) linkTicketThread(ticket, thread);
  ctx.emit(portal.portalId, { kind: 'object.creation', objectType: 'ticket', objectId: id, origin });
  return ticket;
}

export function linkTicketThread(ticket: SandboxTicket, thread: { id: string; ticketId?: string }): void {
  if (!ticket.threadIds.includes(thread.id)) ticket.threadIds.push(thread.id);
  thread.ticketId = ticket.id;
}

export function deleteTicket(ctx: SandboxContext, input: { portalId: number; ticketId: string }, origin: ChangeOrigin): void {
  const portal = requirePortal(ctx, input.portalId);
  const ticket = requireTicket(portal, input.ticketId);
  ticket.archived = true;
  ticket.updatedAt = isoAt(ctx.now());
  ctx.emit(portal.portalId, { kind: 'object.deletion', objectType: 'ticket', objectId: ticket.id, origin });
}

/** The CRM v3 object view: requested (or default) properties, values as strings or null. */
export function toSimplePublicObject(
  record: CrmRecord,
  requested: string[] | undefined,
  defaults: string[],
  always: string[],
  known: (name: string) => boolean,
): Record<string, unknown> {
  const names = requested && requested.length > 0 ? [...new Set([...always, ...requested])] : defaults;
  const properties: PropertyValues = {};
  for (const name of [...names].sort()) {
    if (!known(name) && !(name in record.properties)) continue;
    properties[name] = record.properties[name] ?? null;
  }
  return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived };
}

// ASSUMPTION (UNVERIFIED): the ticket↔thread link is exposed as association type "conversations" with
// type "ticket_to_conversation". source: docs/hubspot-contract.md §5.1 (contacts example only)
// CRM object types a ticket can be associated with, as `associations=` takes them (singular or plural). Conversation
// threads are not among them: they live in the Conversations API, which links them to tickets itself.
const CRM_ASSOCIATION_TYPES = ['contacts', 'contact', 'notes', 'note', 'companies', 'company', 'deals', 'deal', 'emails', 'email', 'calls', 'call', 'tasks', 'task'];
export const isCrmAssociationType = (name: string): boolean => CRM_ASSOCIATION_TYPES.includes(name.trim().toLowerCase());

export function ticketAssociations(ticket: SandboxTicket, requested: string[]): Record<string, unknown> | undefined {
  const out: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const raw of requested) {
    const kind = raw.trim().toLowerCase();
    if ((kind === 'contacts' || kind === 'contact') && ticket.contactIds.length > 0) {
      out['contacts'] = { results: ticket.contactIds.map((id) => ({ id, type: 'ticket_to_contact' })) };
    }
    if ((kind === 'notes' || kind === 'note') && ticket.noteIds.length > 0) {
      out['notes'] = { results: ticket.noteIds.map((id) => ({ id, type: 'ticket_to_note' })) };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
