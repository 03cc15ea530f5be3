// Dashboard section for one portal: install, users, contacts, tickets and threads, each with the forms a
// person needs to play the story (stable ids / data-testid for browser tests).
import type { SandboxContext } from './context';
import { html, type RawHtml } from './html';
import type { SandboxPortal, SandboxThread, SandboxTicket } from './types';

const hidden = (name: string, value: unknown) => html`<input type="hidden" name="${name}" value="${String(value)}">`;

export function form(op: string, fields: RawHtml | RawHtml[], button: string, attrs: { testid: string; danger?: boolean }): RawHtml {
  return html`<form class="inline" method="post" action="/_sandbox/${op}" data-testid="${attrs.testid}">${fields}<button type="submit" class="${attrs.danger ? 'danger' : ''}" data-testid="${attrs.testid}-submit">${button}</button></form>`;
}

function userOptions(portal: SandboxPortal, selected?: string, withNone = false): RawHtml {
  return html`${withNone ? html`<option value="">— unassigned —</option>` : ''}${Object.values(portal.users).map((u) =>
    html`<option value="${u.userId}" ${String(u.userId) === selected ? 'selected' : ''}>${u.firstName} ${u.lastName}</option>`)}`;
}

function ownerSelect(portal: SandboxPortal, selected: string): RawHtml {
  return html`<select name="ownerId"><option value="">— no owner —</option>${Object.values(portal.owners).map((o) =>
    html`<option value="${o.id}" ${o.id === selected ? 'selected' : ''}>${o.firstName} ${o.lastName}</option>`)}</select>`;
}

const ownerName = (portal: SandboxPortal, id: string | null | undefined) => {
  const o = id ? portal.owners[id] : undefined;
  return o ? `${o.firstName} ${o.lastName}` : '—';
};

function ticketRow(ctx: SandboxContext, portal: SandboxPortal, t: SandboxTicket): RawHtml {
  const stage = portal.ticketProperties['hs_pipeline_stage']?.options.find((o) => o.value === t.properties['hs_pipeline_stage'])?.label;
  const custom = Object.values(portal.ticketProperties).filter((p) => !p.hubspotDefined && t.properties[p.name]);
  const base = [hidden('portalId', portal.portalId), hidden('ticketId', t.id)];
  const actions = ctx.state.actionDefinitions.filter((d) => d.objectTypes.length === 0 || d.objectTypes.includes('TICKET'));
  return html`<tr data-testid="ticket-${t.id}" id="ticket-${t.id}">
    <td class="mono">${t.id}</td><td>${t.properties['subject']}</td>
    <td data-testid="ticket-${t.id}-owner">${ownerName(portal, t.properties['hubspot_owner_id'])}</td>
    <td>${stage ?? t.properties['hs_pipeline_stage']}</td>
    <td data-testid="ticket-${t.id}-custom">${custom.map((p) => html`<span class="pill">${p.name}: ${t.properties[p.name]}</span> `)}</td>
    <td>${t.threadIds.map((id) => html`<a href="#thread-${id}">${id}</a> `)}</td>
    <td data-testid="ticket-${t.id}-notes">${t.noteIds.map((id) => html`<div class="msg note">${portal.notes[id]?.properties['hs_note_body'] ?? ''}</div>`)}</td>
    <td>${form('set-ticket-owner', [...base, ownerSelect(portal, t.properties['hubspot_owner_id'] ?? '')], 'Set owner', { testid: `ticket-${t.id}-set-owner` })}
      ${actions.map((d) => form('run-workflow-action', [...base.slice(0, 1), hidden('objectType', 'TICKET'), hidden('objectId', t.id), hidden('actionUid', d.uid),
        ...d.inputFieldNames.map((n) => html`<input name="inputFields.${n}" placeholder="${n}" size="8">`)],
        d.fileKey, { testid: `ticket-${t.id}-action-${d.fileKey}` }))}
      ${form('delete-ticket', base, 'Delete', { testid: `ticket-${t.id}-delete`, danger: true })}</td></tr>`;
}

function threadCard(portal: SandboxPortal, th: SandboxThread): RawHtml {
  const base = [hidden('portalId', portal.portalId), hidden('threadId', th.id)];
  const assigned = th.assignedTo?.slice(2);
  const assignee = assigned ? portal.users[assigned] : undefined;
  return html`<div class="card" data-testid="thread-${th.id}" id="thread-${th.id}">
    <h3>Thread ${th.id} <span class="pill">${th.originalChannelId === '1002' ? 'email' : 'live chat'}</span>
      <span class="pill" data-testid="thread-${th.id}-status">${th.archived ? 'ARCHIVED' : th.status}</span>
      <span class="pill" data-testid="thread-${th.id}-assignee">${assignee ? `${assignee.firstName} ${assignee.lastName}` : 'unassigned'}</span>
      ${th.ticketId ? html`<a href="#ticket-${th.ticketId}">ticket ${th.ticketId}</a>` : ''}</h3>
    <div data-testid="thread-${th.id}-messages">${th.messages.map((m) => html`<div class="msg ${m.type === 'COMMENT' ? 'note' : m.direction === 'INCOMING' ? 'in' : 'out'}" data-testid="message-${m.id}">
      <span class="muted">${m.senders[0]?.name ?? m.createdBy} · ${m.type}${m.client.clientType === 'INTEGRATION' ? ' · via app' : ''}</span><br>${m.text}</div>`)}</div>
    ${th.archived ? '' : html`
    ${form('post-customer-message', [...base, html`<input name="text" placeholder="Customer writes…" required>`], 'Customer sends', { testid: `thread-${th.id}-customer` })}
    ${form('post-agent-message', [...base, html`<select name="userId">${userOptions(portal)}</select><select name="type"><option>MESSAGE</option><option>COMMENT</option></select><input name="text" placeholder="Agent writes…" required>`], 'Agent sends', { testid: `thread-${th.id}-agent` })}
    ${form('assign-thread', [...base, html`<select name="userId">${userOptions(portal, assigned, true)}</select>`], 'Assign', { testid: `thread-${th.id}-assign` })}
    ${form('set-thread-status', [...base, hidden('status', th.status === 'OPEN' ? 'CLOSED' : 'OPEN')], th.status === 'OPEN' ? 'Close' : 'Reopen', { testid: `thread-${th.id}-status-toggle` })}
    ${form('delete-thread', base, 'Delete', { testid: `thread-${th.id}-delete`, danger: true })}`}
    ${form('privacy-delete-thread', base, 'GDPR delete', { testid: `thread-${th.id}-privacy-delete`, danger: true })}
  </div>`;
}

export function portalSection(ctx: SandboxContext, portal: SandboxPortal): RawHtml {
  const p = hidden('portalId', portal.portalId);
  const install = portal.install;
  const contacts = Object.values(portal.contacts);
  const tickets = Object.values(portal.tickets).filter((t) => !t.archived);
  const threads = Object.values(portal.threads);
  const contactOptions = contacts.map((c) => html`<option value="${c.id}">${c.properties['firstname']} ${c.properties['lastname']} (${c.id})</option>`);
  return html`<section class="card" data-testid="portal-${portal.portalId}" id="portal-${portal.portalId}">
  <h2>${portal.name} <span class="mono">${portal.portalId}</span>
    <span class="pill ${install?.active ? 'ok' : 'bad'}" data-testid="portal-${portal.portalId}-install">${install?.active ? 'app installed' : install ? 'app uninstalled' : 'app not installed'}</span></h2>
  ${install?.active ? html`<p class="muted">Installed by user ${install.userId} · scopes: <code>${install.scopes.join(' ')}</code></p>
    ${form('uninstall-app', p, 'Uninstall app', { testid: `portal-${portal.portalId}-uninstall`, danger: true })}` : ''}
  ${form('create-private-app-token', p, 'Create private app token', { testid: `portal-${portal.portalId}-private-token` })}
  ${Object.values(ctx.state.privateAppTokens).filter((t) => t.portalId === portal.portalId && !t.revoked).map((t) =>
    html`<p>Private App token: <code data-testid="private-app-token">${t.token}</code> <span class="muted">(${t.scopes.join(' ')})</span></p>`)}
  <h3>Users</h3><table><tr><th>User id</th><th>Owner id</th><th>Name</th><th>Email</th></tr>
  ${Object.values(portal.users).map((u) => html`<tr><td class="mono">${u.userId}</td><td class="mono">${u.ownerId}</td><td>${u.firstName} ${u.lastName}</td><td>${u.email}</td></tr>`)}</table>
  <h3>Contacts</h3><p>${contacts.map((c) => html`<span class="pill">${c.id} · ${c.properties['email']}</span>
    ${form('privacy-delete-contact', [p, hidden('contactId', c.id)], 'GDPR delete', { testid: `contact-${c.id}-privacy-delete`, danger: true })} `)}</p>
  ${form('create-contact', [p, html`<input name="email" placeholder="email" required><input name="firstname" placeholder="first name"><input name="lastname" placeholder="last name">`], 'Create contact', { testid: `portal-${portal.portalId}-create-contact` })}
  <h3>Tickets</h3>
  <table><tr><th>Id</th><th>Subject</th><th>Owner</th><th>Stage</th><th>Custom (AI status)</th><th>Threads</th><th>Notes</th><th></th></tr>
  ${tickets.map((t) => ticketRow(ctx, portal, t))}</table>
  ${form('create-ticket', [p, html`<input name="subject" placeholder="subject" required><select name="contactId"><option value="">— contact —</option>${contactOptions}</select>
    <select name="threadId"><option value="">— thread —</option>${threads.filter((t) => !t.archived).map((t) => html`<option value="${t.id}">${t.id}</option>`)}</select>`], 'Create ticket', { testid: `portal-${portal.portalId}-create-ticket` })}
  <h3>Conversations</h3>
  ${form('create-thread', [p, html`<select name="contactId">${contactOptions}</select><select name="channel"><option value="LIVE_CHAT">live chat</option><option value="EMAIL">email</option></select>
    <input name="text" placeholder="first customer message"><input name="subject" placeholder="subject (email)">
    <select name="ticketId"><option value="">— ticket —</option>${tickets.map((t) => html`<option value="${t.id}">${t.id}</option>`)}</select>`], 'Start conversation', { testid: `portal-${portal.portalId}-create-thread` })}
  <div class="grid">${threads.map((th) => threadCard(portal, th))}</div>
</section>`;
}
