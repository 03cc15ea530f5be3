// CRM v3 endpoints besides tickets: ticket properties, owners, notes, contacts, and account info
// (docs/hubspot-contract.md §5.2–5.4).
import { Hono } from 'hono';
import { portalOf, type ApiEnv } from './api-guard';
import { documentedQuery, pathParam, serve } from './contract/route';
import type { SandboxContext } from './context';
import { hsError, notFound, propertyValidationError, validationError, type PropertyProblem } from './hs-errors';
import { isoAt, nextId } from './ids';
import { intParam, isObject, listParam, paginate, readJsonObject } from './request-utils';
import { DEFAULT_CONTACT_PROPERTIES, DEFAULT_NOTE_PROPERTIES, NOTE_PROPERTIES, propertyDefinition } from './state';
import { toSimplePublicObject } from './tickets';
import type { PropertyOption, SandboxNote, SandboxPortal } from './types';

// Association type ids for notes (docs/hubspot-contract.md §5.2): 228 note→ticket; 202 note→contact.
const NOTE_TO_TICKET = 228;
const NOTE_TO_CONTACT = 202;
const TICKET_OBJECT_TYPES = ['tickets', 'ticket', '0-5'];

function noteTimestamp(raw: unknown): string | undefined {
  const text = String(raw ?? '');
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) && text !== '' ? isoAt(ms) : undefined;
}

const noteView = (note: SandboxNote, properties?: string[]) =>
  toSimplePublicObject(note, properties, DEFAULT_NOTE_PROPERTIES, ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    (n) => NOTE_PROPERTIES.includes(n) || DEFAULT_NOTE_PROPERTIES.includes(n));

function createNote(ctx: SandboxContext, portal: SandboxPortal, body: Record<string, unknown>): SandboxNote | PropertyProblem[] | string {
  const props = isObject(body['properties']) ? body['properties'] : {};
  const problems: PropertyProblem[] = Object.keys(props)
    .filter((n) => !NOTE_PROPERTIES.includes(n))
    .map((name) => ({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` }));
  const owner = props['hubspot_owner_id'];
  if (owner !== undefined && owner !== null && owner !== '' && !portal.owners[String(owner)]) {
    problems.push({ name: 'hubspot_owner_id', error: 'INVALID_OWNER_ID', message: `${String(owner)} is not a valid owner id` });
  }
  const timestamp = noteTimestamp(props['hs_timestamp']);
  if (timestamp === undefined) {
    // ASSUMPTION (UNVERIFIED): error code/message when hs_timestamp is missing or unparsable. source: docs/hubspot-contract.md §5.2 ("required")
    problems.push({ name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'hs_timestamp is required and must be a date or epoch milliseconds' });
  }
  if (problems.length > 0) return problems;

  const ticketIds: string[] = [];
  const contactIds: string[] = [];
  for (const a of Array.isArray(body['associations']) ? body['associations'] : []) {
    const toId = String((a as { to?: { id?: unknown } }).to?.id ?? '');
    const types = ((a as { types?: { associationTypeId?: unknown; associationCategory?: unknown }[] }).types ?? []);
    for (const t of types) {
      const typeId = Number(t.associationTypeId);
      if (t.associationCategory !== 'HUBSPOT_DEFINED' || (typeId !== NOTE_TO_TICKET && typeId !== NOTE_TO_CONTACT)) {
        return `association type ${String(t.associationCategory)}/${String(t.associationTypeId)} is not valid for notes (sandbox knows 228 note→ticket, 202 note→contact)`;
      }
      const exists = typeId === NOTE_TO_TICKET ? portal.tickets[toId] && !portal.tickets[toId]!.archived : portal.contacts[toId];
      if (!exists) return `association target ${toId} does not exist`;
      (typeId === NOTE_TO_TICKET ? ticketIds : contactIds).push(toId);
    }
  }
  const id = String(nextId(ctx.state, 'note'));
  const at = isoAt(ctx.now());
  const values = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v === null ? null : String(v)]));
  const note: SandboxNote = {
    id,
    properties: { ...values, hs_timestamp: timestamp!, hs_createdate: at, hs_lastmodifieddate: at, hs_object_id: id },
    createdAt: at, updatedAt: at, archived: false, ticketIds, contactIds,
  };
  portal.notes[id] = note;
  for (const t of ticketIds) portal.tickets[t]!.noteIds.push(id);
  return note;
}

function parseOptions(raw: unknown): PropertyOption[] | undefined {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return undefined;
  const options = raw.map((o, i) => (isObject(o) && typeof o['value'] === 'string' && typeof o['label'] === 'string'
    ? { label: o['label'], value: o['value'], displayOrder: typeof o['displayOrder'] === 'number' ? o['displayOrder'] : i, hidden: false }
    : undefined));
  return options.every(Boolean) ? (options as PropertyOption[]) : undefined;
}

export function crmRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const portalFor = (portalId: number) => ctx.state.portals[String(portalId)]!;

  serve(r, ctx, 'properties.list', (c) => {
    if (!TICKET_OBJECT_TYPES.includes(pathParam(c, 'objectType'))) return validationError(c, 'The sandbox only models ticket properties.');
    return c.json({ results: Object.values(portalFor(portalOf(c)).ticketProperties).filter((p) => !p.archived) });
  });

  serve(r, ctx, 'properties.get', (c) => {
    if (!TICKET_OBJECT_TYPES.includes(pathParam(c, 'objectType'))) return validationError(c, 'The sandbox only models ticket properties.');
    const def = portalFor(portalOf(c)).ticketProperties[pathParam(c, 'propertyName')];
    // ASSUMPTION (UNVERIFIED): wording of the missing-property 404. source: docs/hubspot-contract.md §5.3
    if (!def || def.archived) return hsError(c, 404, 'OBJECT_NOT_FOUND', `Unable to find property ${pathParam(c, 'propertyName')} on object type 0-5`);
    return c.json(def);
  });

  serve(r, ctx, 'properties.create', async (c) => {
    if (!TICKET_OBJECT_TYPES.includes(pathParam(c, 'objectType'))) return validationError(c, 'The sandbox only models ticket properties.');
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter((k) => typeof body[k] !== 'string' || body[k] === '');
    if (missing.length > 0) return validationError(c, `Missing required fields: ${missing.join(', ')}`);
    const name = String(body['name']);
    if (!/^[a-z][a-z0-9_]*$/.test(name)) return validationError(c, `Property name ${name} must be lowercase letters, digits and underscores`);
    const options = parseOptions(body['options']);
    if (!options) return validationError(c, 'options must be a list of {label, value}');
    const portal = portalFor(portalOf(c));
    if (portal.ticketProperties[name]) {
      // ASSUMPTION (UNVERIFIED): 409 category OBJECT_ALREADY_EXISTS and its message. source: docs/hubspot-contract.md §5.3
      return hsError(c, 409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`);
    }
    const def = propertyDefinition({
      name, label: String(body['label']), type: String(body['type']), fieldType: String(body['fieldType']),
      groupName: String(body['groupName']), description: typeof body['description'] === 'string' ? body['description'] : '',
      options, hidden: body['hidden'] === true, formField: body['formField'] !== false,
    }, ctx.now());
    portal.ticketProperties[name] = def;
    return c.json(def, 201);
  });

  serve(r, ctx, 'owners.list', (c) => {
    const email = c.req.query('email')?.toLowerCase();
    const limit = Math.min(Math.max(intParam(documentedQuery(c, 'limit'), 100), 1), 500);
    const owners = Object.values(portalFor(portalOf(c)).owners)
      .filter((o) => o.archived === (documentedQuery(c, 'archived') === 'true'))
      .filter((o) => !email || o.email.toLowerCase() === email)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const { page, next } = paginate(owners, c.req.query('after'), limit);
    return c.json({ results: page, ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) });
  });

  serve(r, ctx, 'owners.getById', (c) => {
    const id = pathParam(c, 'ownerId');
    const archived = documentedQuery(c, 'archived') === 'true';
    const owners = Object.values(portalFor(portalOf(c)).owners).filter((o) => o.archived === archived);
    const owner = documentedQuery(c, 'idProperty') === 'userId' ? owners.find((o) => String(o.userId) === id) : owners.find((o) => o.id === id);
    if (!owner) return notFound(c, id);
    return c.json(owner);
  });

  serve(r, ctx, 'notes.create', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const result = createNote(ctx, portalFor(portalOf(c)), body);
    if (typeof result === 'string') return validationError(c, result);
    if (Array.isArray(result)) return propertyValidationError(c, result);
    return c.json(noteView(result, Object.keys(result.properties)), 201);
  });

  serve(r, ctx, 'notes.getById', (c) => {
    const note = portalFor(portalOf(c)).notes[pathParam(c, 'noteId')];
    if (!note || note.archived) return notFound(c, pathParam(c, 'noteId'));
    return c.json(noteView(note, listParam(c, 'properties')));
  });

  serve(r, ctx, 'contacts.getById', (c) => {
    const contact = portalFor(portalOf(c)).contacts[pathParam(c, 'contactId')];
    if (!contact || contact.archived) return notFound(c, pathParam(c, 'contactId'));
    return c.json(toSimplePublicObject(contact, listParam(c, 'properties'), DEFAULT_CONTACT_PROPERTIES,
      ['createdate', 'lastmodifieddate', 'hs_object_id'], (n) => DEFAULT_CONTACT_PROPERTIES.includes(n)));
  });

  // Works with OAuth and private app tokens; the product uses it to learn a private app token's portal.
  // ASSUMPTION (UNVERIFIED): utcOffset fields are static. source: not in the reference
  serve(r, ctx, 'accountInfo.details', (c) => {
    const portal = portalFor(portalOf(c));
    return c.json({
      portalId: portal.portalId, accountType: portal.accountType, timeZone: portal.timeZone,
      companyCurrency: portal.companyCurrency, additionalCurrencies: [], utcOffset: '+01:00', utcOffsetMilliseconds: 3_600_000,
      uiDomain: portal.uiDomain, dataHostingLocation: portal.dataHostingLocation,
    });
  });
  return r;
}
