// The control API over HTTP: POST /_sandbox/<operation> with a JSON body (or a form from the dashboard)
// calls the control method of the same name; GET /_sandbox/state returns the whole state.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SandboxError } from './context';
import type { SandboxControl } from './control';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const int = z.coerce.number().int();
const optInt = z.preprocess(blankToUndefined, z.coerce.number().int().optional());
const nullableInt = z.preprocess((v) => (v === '' || v === 'null' || v === undefined ? null : v), z.coerce.number().int().nullable());
const str = z.coerce.string().min(1);
const optStr = z.preprocess(blankToUndefined, z.coerce.string().optional());
const id = z.coerce.string().min(1);
const optBool = z.preprocess((v) => (v === 'on' || v === 'true' ? true : v === '' || v === 'false' ? false : v), z.boolean().optional());
const scopes = z.preprocess((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v), z.array(z.string()).optional());
const stringMap = z.record(z.string(), z.union([z.string(), z.null()]));
const portal = { portalId: int };
const user = z.object({ userId: optInt, ownerId: optStr, email: str, firstName: str, lastName: str });

const schemas = {
  'create-portal': z.object({ portalId: optInt, name: optStr, domain: optStr, timeZone: optStr, users: z.array(user).optional() }),
  'create-user': user.extend(portal),
  'create-contact': z.object({ ...portal, email: str, firstname: optStr, lastname: optStr }),
  'create-ticket': z.object({
    ...portal, subject: str, content: optStr, ownerId: optStr, pipelineStage: optStr, contactId: optStr, threadId: optStr,
    properties: z.record(z.string(), z.string()).optional(), actingUserId: optInt,
  }),
  'update-ticket': z.object({ ...portal, ticketId: id, properties: stringMap, actingUserId: optInt }),
  'set-ticket-owner': z.object({ ...portal, ticketId: id, ownerId: z.preprocess((v) => (v === '' ? null : v), z.string().nullable()), actingUserId: optInt }),
  'delete-ticket': z.object({ ...portal, ticketId: id }),
  'create-thread': z.object({ ...portal, contactId: id, channel: z.enum(['LIVE_CHAT', 'EMAIL']).optional(), text: optStr, subject: optStr, ticketId: optStr }),
  'post-customer-message': z.object({ ...portal, threadId: id, text: str, subject: optStr }),
  'post-agent-message': z.object({ ...portal, threadId: id, userId: int, text: str, type: z.enum(['MESSAGE', 'COMMENT']).optional() }),
  'assign-thread': z.object({ ...portal, threadId: id, userId: nullableInt }),
  'set-thread-status': z.object({ ...portal, threadId: id, status: z.enum(['OPEN', 'CLOSED']) }),
  'delete-thread': z.object({ ...portal, threadId: id }),
  'privacy-delete-thread': z.object({ ...portal, threadId: id }),
  'privacy-delete-contact': z.object({ ...portal, contactId: id }),
  'install-app': z.object({ ...portal, userId: optInt, scopes }),
  'uninstall-app': z.object(portal),
  'create-private-app-token': z.object({ ...portal, scopes }),
  'set-private-app-webhook': z.object({ token: z.string(), url: z.string() }),
  'revoke-private-app-token': z.object({ token: z.string() }),
  'expire-access-tokens': z.object({ portalId: optInt }),
  'set-rate-limit': z.object({ max: int, intervalMs: int }),
  'add-fault': z.object({ pathPrefix: optStr, method: optStr, status: optInt, delayMs: optInt, hang: optBool, durationMs: optInt, count: optInt }),
  'clear-faults': z.object({}),
  'set-delivery-injections': z.object({
    duplicate: optInt, order: z.preprocess(blankToUndefined, z.enum(['none', 'reverse', 'shuffle']).optional()), dropFirstAttempt: optBool,
  }),
  'clear-delivery-injections': z.object({}),
  'set-webhook-target': z.object({ url: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().url().nullable()) }),
  'run-workflow-action': z.object({
    ...portal, actionUid: optStr, actionUrl: optStr, objectType: z.enum(['TICKET', 'CONTACT']), objectId: id,
    inputFields: z.record(z.string(), z.unknown()).optional(), callbackId: optStr, workflowId: optInt, actionId: optInt,
  }),
  'card-fetch': z.object({
    ...portal, userId: int, url: z.string().url(), method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    body: z.unknown().optional(), timeoutMs: optInt,
  }),
  'notes-for-ticket': z.object({ ...portal, ticketId: id }),
  reset: z.object({}),
} as const;

type Operation = keyof typeof schemas;

// `input` has already been parsed by the operation's own schema, so the per-case types line up by construction.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function run(control: SandboxControl, op: Operation, input: any): unknown {
  switch (op) {
    case 'create-portal': return control.createPortal(input);
    case 'create-user': return control.createUser(input);
    case 'create-contact': return control.createContact(input);
    case 'create-ticket': return control.createTicket(input);
    case 'update-ticket': return control.updateTicket(input);
    case 'set-ticket-owner': return control.setTicketOwner(input);
    case 'delete-ticket': return control.deleteTicket(input);
    case 'create-thread': return control.createThread(input);
    case 'post-customer-message': return control.postCustomerMessage(input);
    case 'post-agent-message': return control.postAgentMessage(input);
    case 'assign-thread': return control.assignThread(input);
    case 'set-thread-status': return control.setThreadStatus(input);
    case 'delete-thread': return control.deleteThread(input);
    case 'privacy-delete-thread': return control.privacyDeleteThread(input);
    case 'privacy-delete-contact': return control.privacyDeleteContact(input);
    case 'install-app': return control.installApp(input);
    case 'uninstall-app': return control.uninstallApp(input);
    case 'create-private-app-token': return control.createPrivateAppToken(input);
    case 'set-private-app-webhook': return control.setPrivateAppWebhook(input);
    case 'revoke-private-app-token': return control.revokePrivateAppToken(input);
    case 'expire-access-tokens': return control.expireAccessTokens(input);
    case 'set-rate-limit': return control.setRateLimit(input);
    case 'add-fault': return control.addFault(input);
    case 'clear-faults': return control.clearFaults();
    case 'set-delivery-injections': return control.setDeliveryInjections(input);
    case 'clear-delivery-injections': return control.clearDeliveryInjections();
    case 'set-webhook-target': return control.setWebhookTarget(input.url);
    case 'run-workflow-action': return control.runWorkflowAction(input);
    case 'card-fetch': return control.cardFetch(input);
    case 'notes-for-ticket': return control.notesForTicket(input);
    case 'reset': return control.reset();
  }
}

/** Form fields named `a.b` become nested objects, so a plain HTML form can send `properties.ai_status`. */
function formToObject(form: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const path = key.split('.');
    let node = out;
    path.slice(0, -1).forEach((p) => {
      node = (node[p] ??= {}) as Record<string, unknown>;
    });
    node[path[path.length - 1]!] = value;
  }
  return out;
}

async function readInput(c: Context): Promise<{ input: unknown; fromForm: boolean }> {
  const type = c.req.header('Content-Type') ?? '';
  const text = await c.req.text();
  if (type.startsWith('application/x-www-form-urlencoded')) return { input: formToObject(new URLSearchParams(text)), fromForm: true };
  return { input: text ? JSON.parse(text) : {}, fromForm: false };
}

const wantsJson = (c: Context) => (c.req.header('Accept') ?? '').includes('application/json');

export function controlRoutes(control: SandboxControl): Hono {
  const r = new Hono();
  r.get('/_sandbox/state', (c) => c.json(control.snapshot()));
  r.get('/_sandbox/operations', (c) => c.json(Object.keys(schemas)));

  r.post('/_sandbox/:operation', async (c) => {
    const op = c.req.param('operation') as Operation;
    const schema = schemas[op];
    if (!schema) return c.json({ error: { code: 'unknown_operation', message: `unknown operation ${op}` } }, 404);
    let fromForm = false;
    try {
      const read = await readInput(c);
      fromForm = read.fromForm;
      const parsed = schema.safeParse(read.input);
      if (!parsed.success) throw new SandboxError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      const result = await run(control, op, parsed.data);
      // The help-desk page submits its forms with fetch and asks for JSON: it updates itself over /_sandbox/live.
      if (fromForm && !wantsJson(c)) return c.redirect(`/?ok=${encodeURIComponent(op)}`, 303);
      return c.json(result ?? { ok: true });
    } catch (err) {
      const status = err instanceof SandboxError ? err.status : err instanceof SyntaxError ? 400 : 500;
      const message = (err as Error).message;
      if (fromForm && !wantsJson(c)) return c.redirect(`/?error=${encodeURIComponent(`${op}: ${message}`)}`, 303);
      const code = status === 404 ? 'not_found' : status === 409 ? 'conflict' : status === 500 ? 'internal' : 'invalid_request';
      return c.json({ error: { code, message } }, status);
    }
  });
  return r;
}
