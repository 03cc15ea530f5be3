// CRM v3: searching and creating contacts, and listing ticket pipelines: what a handoff needs to find or create
// the customer's contact and to offer the admin a pipeline and stage (docs/hubspot-contract.md §5.6).
import { Hono } from 'hono';
import { portalOf, type ApiEnv } from './api-guard';
import { apiOrigin, type SandboxContext } from './context';
import { pathParam, serve } from './contract/route';
import { hsError, validationError } from './hs-errors';
import { paginate, readJsonObject, isObject } from './request-utils';
import { createContact } from './portals';
import { DEFAULT_CONTACT_PROPERTIES } from './state';
import { toSimplePublicObject } from './tickets';
import type { SandboxContact, SandboxPortal } from './types';

const TICKET_OBJECT_TYPES = ['tickets', 'ticket', '0-5'];
type Filter = { propertyName?: unknown; operator?: unknown; value?: unknown };

const contactView = (contact: SandboxContact, properties?: string[]) =>
  toSimplePublicObject(contact, properties, DEFAULT_CONTACT_PROPERTIES, ['createdate', 'lastmodifieddate', 'hs_object_id'], (n) => DEFAULT_CONTACT_PROPERTIES.includes(n));

// HubSpot keeps emails lower-cased and compares them so; the sandbox does the same for every EQ on `email`.
const norm = (name: string, value: unknown) => (name === 'email' ? String(value ?? '').toLowerCase() : String(value ?? ''));

const matches = (contact: SandboxContact, f: Filter) => {
  const name = String(f.propertyName);
  const value = contact.properties[name];
  return value !== null && value !== undefined && norm(name, value) === norm(name, f.value);
};

/** Pipeline "0" from the portal's hs_pipeline / hs_pipeline_stage options (the sandbox models one pipeline). */
function ticketPipelines(portal: SandboxPortal) {
  const pipelines = portal.ticketProperties['hs_pipeline']?.options ?? [];
  const stages = portal.ticketProperties['hs_pipeline_stage']?.options ?? [];
  const at = portal.ticketProperties['hs_pipeline']?.createdAt ?? new Date(0).toISOString();
  return pipelines.map((p) => ({
    id: p.value, label: p.label, displayOrder: p.displayOrder, archived: false, createdAt: at, updatedAt: at,
    // ASSUMPTION (UNVERIFIED): ticketState metadata of the default stages; the last stage is the closed one.
    stages: stages.map((s, i) => ({
      id: s.value, label: s.label, displayOrder: s.displayOrder, archived: false, createdAt: at, updatedAt: at,
      metadata: { ticketState: i === stages.length - 1 ? 'CLOSED' : 'OPEN' },
    })),
  }));
}

export function contactRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const portalFor = (portalId: number) => ctx.state.portals[String(portalId)]!;

  serve(r, ctx, 'contacts.search', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const limit = body['limit'] === undefined ? 10 : Number(body['limit']);
    if (!Number.isInteger(limit) || limit < 0 || limit > 200) return validationError(c, `limit must be between 0 and 200 (was ${String(body['limit'])})`);
    const groups = Array.isArray(body['filterGroups']) ? (body['filterGroups'] as { filters?: Filter[] }[]) : [];
    const unsupported = groups.flatMap((g) => g.filters ?? []).find((f) => f.operator !== 'EQ');
    if (unsupported) return validationError(c, `Unsupported filter operator ${String(unsupported.operator)} (the sandbox's contact search supports EQ)`);
    const all = Object.values(portalFor(portalOf(c)).contacts)
      .filter((x) => !x.archived)
      .filter((x) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(x, f))))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const { page, next } = paginate(all, typeof body['after'] === 'string' ? body['after'] : undefined, limit);
    const props = Array.isArray(body['properties']) ? body['properties'].map(String) : undefined;
    return c.json({ total: all.length, results: page.map((x) => contactView(x, props)), ...(next ? { paging: { next: { after: next } } } : {}) });
  });

  serve(r, ctx, 'contacts.create', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const props = isObject(body['properties']) ? body['properties'] : {};
    const unknown = Object.keys(props).filter((n) => !DEFAULT_CONTACT_PROPERTIES.includes(n));
    if (unknown.length > 0) return validationError(c, `Property values were not valid: ${unknown.map((n) => `Property "${n}" does not exist`).join('; ')}`);
    const email = typeof props['email'] === 'string' ? props['email'].trim().toLowerCase() : '';
    const portal = portalFor(portalOf(c));
    const existing = email && Object.values(portal.contacts).find((x) => !x.archived && norm('email', x.properties['email']) === email);
    // ASSUMPTION (UNVERIFIED): 409 CONFLICT "Contact already exists. Existing ID: <id>" for a duplicate email.
    if (existing) return hsError(c, 409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    const contact = createContact(ctx, {
      portalId: portal.portalId, email,
      firstname: typeof props['firstname'] === 'string' ? props['firstname'] : undefined,
      lastname: typeof props['lastname'] === 'string' ? props['lastname'] : undefined,
    }, apiOrigin(ctx.app.appId));
    return c.json(contactView(contact), 201);
  });

  serve(r, ctx, 'pipelines.list', (c) => {
    if (!TICKET_OBJECT_TYPES.includes(pathParam(c, 'objectType'))) return validationError(c, 'The sandbox only models ticket pipelines.');
    return c.json({ results: ticketPipelines(portalFor(portalOf(c))) });
  });
  return r;
}
