// The help-desk view's live parts: the inbox of a portal (tickets with their conversation) and the chosen ticket
// worked as an agent would (owner, messages, replies). Rendered on the server; helpdesk.js swaps them in on change.
import type { SandboxContext } from '../context';
import { html, type RawHtml } from '../html';
import type { SandboxPortal, SandboxThread, SandboxTicket } from '../types';
import { readableTime } from './format';

export interface Selection {
  portal: SandboxPortal;
  ticket?: SandboxTicket;
  viewerId: string;
}

const hidden = (name: string, value: unknown) => html`<input type="hidden" name="${name}" value="${String(value)}">`;
const asyncForm = (op: string, fields: RawHtml | RawHtml[], button: string, testid: string, kind = '') =>
  html`<form class="inline" method="post" action="/_sandbox/${op}" data-async data-testid="${testid}">${fields}<button type="submit" class="${kind}" data-testid="${testid}-submit">${button}</button></form>`;

const ownerName = (portal: SandboxPortal, id: string | null | undefined) => {
  const o = id ? portal.owners[id] : undefined;
  return o ? `${o.firstName} ${o.lastName}` : 'Unassigned';
};
const threadOf = (portal: SandboxPortal, t: SandboxTicket): SandboxThread | undefined =>
  t.threadIds.map((id) => portal.threads[id]).find((th) => th && !th.archived);
const contactName = (portal: SandboxPortal, id: string | undefined) => {
  const c = id ? portal.contacts[id] : undefined;
  return c ? `${c.properties['firstname'] ?? ''} ${c.properties['lastname'] ?? ''}`.trim() || String(c.properties['email']) : 'Unknown contact';
};

/** Properties the app created (the AI status among them), by their label, as HubSpot shows them on the record. */
const customProperties = (portal: SandboxPortal, t: SandboxTicket) =>
  Object.values(portal.ticketProperties)
    .filter((p) => !p.hubspotDefined && t.properties[p.name])
    .map((p) => ({ name: p.name, label: p.label, value: p.options.find((o) => o.value === t.properties[p.name])?.label ?? t.properties[p.name] }));

export function inboxPart(ctx: SandboxContext, sel: Selection): RawHtml {
  const { portal } = sel;
  const tickets = Object.values(portal.tickets).filter((t) => !t.archived).reverse();
  const tz = portal.timeZone;
  return html`<div data-live-part="inbox"><h2>Tickets <span class="muted">${tickets.length}</span></h2>
  ${tickets.length === 0 ? html`<p class="muted">No ticket yet: start a conversation below.</p>` : ''}
  <ul class="inbox">${tickets.map((t) => {
    const th = threadOf(portal, t);
    const last = th?.messages.at(-1);
    return html`<li class="${t.id === sel.ticket?.id ? 'selected' : ''}" data-testid="inbox-ticket-${t.id}">
      <a href="/helpdesk?portalId=${portal.portalId}&ticketId=${t.id}&viewer=${sel.viewerId}">
      <b>${t.properties['subject']}</b> <span class="when">${readableTime(last?.createdAt ?? t.updatedAt, tz, ctx.now())}</span><br>
      <span class="muted">${contactName(portal, t.contactIds[0] ?? th?.associatedContactId)} · ${ownerName(portal, t.properties['hubspot_owner_id'])}</span>
      ${customProperties(portal, t).map((p) => html` <span class="pill">${p.label}: ${p.value}</span>`)}<br>
      <span class="snippet">${last ? last.text : 'no message'}</span></a></li>`;
  })}</ul>
  <h3>New conversation</h3>
  ${asyncForm('create-thread', [hidden('portalId', portal.portalId), html`<select name="contactId">${Object.values(portal.contacts).map((c) => html`<option value="${c.id}">${contactName(portal, c.id)}</option>`)}</select>
    <input name="text" placeholder="The customer writes…" required>`], 'Start', `new-thread`)}
  <p class="muted">A ticket is created for a conversation with “Create ticket” under it.</p>
  ${Object.values(portal.threads).filter((th) => !th.archived && !th.ticketId).reverse().map((th) => html`<div class="loose" data-testid="loose-thread-${th.id}">
    <span>${contactName(portal, th.associatedContactId)}: ${th.messages.at(-1)?.text ?? ''}</span>
    ${asyncForm('create-ticket', [hidden('portalId', portal.portalId), hidden('threadId', th.id), hidden('contactId', th.associatedContactId),
      html`<input name="subject" placeholder="ticket subject" required size="14">`], 'Create ticket', `thread-${th.id}-create-ticket`)}</div>`)}
  </div>`;
}

export function ticketPart(ctx: SandboxContext, sel: Selection): RawHtml {
  const { portal, ticket } = sel;
  if (!ticket) return html`<div data-live-part="ticket"><p class="muted">Choose a ticket in the inbox.</p></div>`;
  const th = threadOf(portal, ticket);
  const base = [hidden('portalId', portal.portalId), hidden('ticketId', ticket.id)];
  const owner = ticket.properties['hubspot_owner_id'] ?? '';
  const tz = portal.timeZone;
  return html`<div data-live-part="ticket"><h2 data-testid="ticket-subject">${ticket.properties['subject']} <span class="muted mono">#${ticket.id}</span></h2>
  <p>Owner <b data-testid="ticket-owner">${ownerName(portal, owner)}</b> · updated ${readableTime(ticket.updatedAt, tz, ctx.now())}
   ${customProperties(portal, ticket).map((p) => html` · ${p.label} <b data-testid="ticket-property-${p.name}">${p.value}</b>`)}</p>
  ${asyncForm('set-ticket-owner', [...base, html`<select name="ownerId" data-testid="owner-select"><option value="">Unassigned</option>${Object.values(portal.owners).map((o) =>
    html`<option value="${o.id}" ${o.id === owner ? 'selected' : ''}>${o.firstName} ${o.lastName}</option>`)}</select>`], 'Set owner', 'set-owner')}
  ${th ? html`<div class="conversation" data-testid="conversation">${th.messages.map((m) => html`<div class="bubble ${m.type === 'COMMENT' ? 'note' : m.direction === 'INCOMING' ? 'in' : 'out'}" data-testid="message-${m.id}">
      <div class="meta">${m.senders[0]?.name ?? m.createdBy}${m.client.clientType === 'INTEGRATION' ? ' · via OpenCX' : ''}${m.type === 'COMMENT' ? ' · internal comment' : ''} · ${readableTime(m.createdAt, tz, ctx.now())}</div>${m.text}</div>`)}</div>
    ${asyncForm('post-customer-message', [hidden('portalId', portal.portalId), hidden('threadId', th.id), html`<input name="text" placeholder="The customer writes…" required>`], 'Customer sends', 'customer-sends')}
    ${asyncForm('post-agent-message', [hidden('portalId', portal.portalId), hidden('threadId', th.id), hidden('userId', sel.viewerId), html`<input name="text" placeholder="Reply as the agent…" required>`], 'Agent replies', 'agent-replies', 'secondary')}`
    : html`<p class="muted">This ticket has no conversation.</p>`}
  </div>`;
}
