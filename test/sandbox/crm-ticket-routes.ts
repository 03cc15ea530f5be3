// CRM v3 ticket endpoints: get, create, update, archive, search (docs/hubspot-contract.md §5.1).
import { Hono } from 'hono';
import { apiOrigin, type SandboxContext } from './context';
import { portalOf, type ApiEnv } from './api-guard';
import { recordViolation, pathParam, serve } from './contract/route';
import { hsError } from './hs-errors';
import { notFound, propertyValidationError, validationError } from './hs-errors';
import { isObject, listParam, paginate, readJsonObject } from './request-utils';
import { DEFAULT_TICKET_PROPERTIES } from './state';
import {
  applyTicketProperties, createTicket, deleteTicket, isCrmAssociationType, ticketAssociations, toSimplePublicObject, validateTicketProperties,
} from './tickets';
import type { SandboxPortal, SandboxTicket } from './types';

const ALWAYS = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
// Association type 16 = ticket→contact, HUBSPOT_DEFINED (docs/hubspot-contract.md §5.6).
const TICKET_TO_CONTACT = 16;

export function ticketView(portal: SandboxPortal, ticket: SandboxTicket, properties?: string[], associations?: string[]) {
  const view = toSimplePublicObject(ticket, properties, DEFAULT_TICKET_PROPERTIES, ALWAYS, (n) => !!portal.ticketProperties[n]);
  const assoc = associations ? ticketAssociations(ticket, associations) : undefined;
  return assoc ? { ...view, associations: assoc } : view;
}

const liveTicket = (portal: SandboxPortal | undefined, id: string) => {
  const t = portal?.tickets[id];
  return t && !t.archived ? t : undefined;
};

type Filter = { propertyName?: unknown; operator?: unknown; value?: unknown; values?: unknown };
const SUPPORTED_OPERATORS = ['EQ', 'NEQ', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'];

function filterValue(ticket: SandboxTicket, name: string): string[] {
  // ASSUMPTION (UNVERIFIED): association pseudo-properties in search filters. source: not in the reference
  if (name === 'associations.contact') return ticket.contactIds;
  const v = ticket.properties[name];
  return v === undefined || v === null || v === '' ? [] : [v];
}

function matchesFilter(ticket: SandboxTicket, f: Filter): boolean {
  const values = filterValue(ticket, String(f.propertyName));
  const wanted = Array.isArray(f.values) ? f.values.map(String) : [String(f.value ?? '')];
  switch (f.operator) {
    case 'EQ': return values.includes(String(f.value ?? ''));
    case 'NEQ': return !values.includes(String(f.value ?? ''));
    case 'IN': return values.some((v) => wanted.includes(v));
    case 'NOT_IN': return !values.some((v) => wanted.includes(v));
    case 'HAS_PROPERTY': return values.length > 0;
    default: return values.length === 0; // NOT_HAS_PROPERTY
  }
}

export function ticketRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const portalFor = (portalId: number) => ctx.state.portals[String(portalId)];

  serve(r, ctx, 'tickets.search', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const limit = body['limit'] === undefined ? 10 : Number(body['limit']);
    if (!Number.isInteger(limit) || limit < 0 || limit > 200) return validationError(c, `limit must be between 0 and 200 (was ${String(body['limit'])})`);
    const groups = Array.isArray(body['filterGroups']) ? (body['filterGroups'] as { filters?: Filter[] }[]) : [];
    for (const f of groups.flatMap((g) => g.filters ?? [])) {
      if (!SUPPORTED_OPERATORS.includes(String(f.operator))) return validationError(c, `Unsupported filter operator ${String(f.operator)} (sandbox supports ${SUPPORTED_OPERATORS.join(', ')})`);
    }
    const portal = portalFor(portalOf(c))!;
    const all = Object.values(portal.tickets)
      .filter((t) => !t.archived)
      .filter((t) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matchesFilter(t, f))))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const { page, next } = paginate(all, typeof body['after'] === 'string' ? body['after'] : undefined, limit);
    const props = Array.isArray(body['properties']) ? body['properties'].map(String) : undefined;
    return c.json({
      total: all.length,
      results: page.map((t) => ticketView(portal, t, props)),
      ...(next ? { paging: { next: { after: next } } } : {}),
    });
  });

  serve(r, ctx, 'tickets.getById', (c) => {
    const associations = listParam(c, 'associations');
    const unknown = (associations ?? []).filter((a) => !isCrmAssociationType(a));
    if (unknown.length > 0) {
      // HubSpot ignores an association type it does not know (a ticket's conversation threads are not one): the
      // caller would silently get no associations. Strict here, so that such a call cannot pass a test.
      const detail = `"${unknown.join(', ')}" is not a CRM object type HubSpot associates tickets with; HubSpot would ignore it. `
        + 'Find a ticket\'s threads with GET /conversations/v3/conversations/threads?associatedTicketId=…';
      recordViolation(ctx, c, 'undocumented_value', detail);
      return hsError(c, 400, 'VALIDATION_ERROR', `Sandbox strict mode: ${detail}`);
    }
    const portal = portalFor(portalOf(c));
    const ticket = liveTicket(portal, pathParam(c, 'ticketId'));
    if (!portal || !ticket) return notFound(c, pathParam(c, 'ticketId'));
    return c.json(ticketView(portal, ticket, listParam(c, 'properties'), associations));
  });

  serve(r, ctx, 'tickets.update', async (c) => {
    const portal = portalFor(portalOf(c));
    const ticket = liveTicket(portal, pathParam(c, 'ticketId'));
    if (!portal || !ticket) return notFound(c, pathParam(c, 'ticketId'));
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const props = body['properties'];
    if (!isObject(props)) return validationError(c, 'properties is required and must be an object');
    const problems = validateTicketProperties(portal, props);
    if (problems.length > 0) return propertyValidationError(c, problems);
    applyTicketProperties(ctx, portal, ticket, props, apiOrigin(ctx.app.appId));
    return c.json(ticketView(portal, ticket, [...DEFAULT_TICKET_PROPERTIES, ...Object.keys(props)]));
  });

  serve(r, ctx, 'tickets.create', async (c) => {
    const portal = portalFor(portalOf(c))!;
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const props = isObject(body['properties']) ? body['properties'] : {};
    const problems = validateTicketProperties(portal, props);
    if (problems.length > 0) return propertyValidationError(c, problems);
    if (!props['hs_pipeline_stage'] || !props['subject']) {
      // ASSUMPTION (UNVERIFIED): subject and hs_pipeline_stage are required to create a ticket. source: not in the reference
      return validationError(c, 'Property values were not valid: subject and hs_pipeline_stage are required');
    }
    const contactIds: string[] = [];
    for (const a of Array.isArray(body['associations']) ? body['associations'] : []) {
      const toId = String((a as { to?: { id?: unknown } }).to?.id ?? '');
      for (const t of (a as { types?: { associationCategory?: unknown; associationTypeId?: unknown }[] }).types ?? []) {
        // Strict: only the type this sandbox models, so a wrong id cannot pass a test (HubSpot would link something else).
        if (t.associationCategory !== 'HUBSPOT_DEFINED' || Number(t.associationTypeId) !== TICKET_TO_CONTACT) {
          return validationError(c, `association type ${String(t.associationCategory)}/${String(t.associationTypeId)} is not one the sandbox models for tickets (16 ticket→contact)`);
        }
      }
      if (!portal.contacts[toId] || portal.contacts[toId]!.archived) return validationError(c, `association target ${toId} does not exist`);
      contactIds.push(toId);
    }
    const { subject, hs_pipeline_stage, ...rest } = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v ?? '')]));
    const ticket = createTicket(ctx, {
      portalId: portal.portalId, subject: subject ?? '', pipelineStage: hs_pipeline_stage, contactId: contactIds[0], properties: rest,
    }, apiOrigin(ctx.app.appId));
    return c.json(ticketView(portal, ticket, [...DEFAULT_TICKET_PROPERTIES, ...Object.keys(props)]), 201);
  });

  serve(r, ctx, 'tickets.archive', (c) => {
    const portal = portalFor(portalOf(c));
    const ticket = liveTicket(portal, pathParam(c, 'ticketId'));
    if (!portal || !ticket) return notFound(c, pathParam(c, 'ticketId'));
    deleteTicket(ctx, { portalId: portal.portalId, ticketId: ticket.id }, apiOrigin(ctx.app.appId));
    return c.body(null, 204);
  });
  return r;
}
