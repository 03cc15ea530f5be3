// GET /helpdesk: the sandbox as an agent works it. A portal's tickets and conversations, the chosen ticket with
// its owner and messages, and the OpenCX card beside it as the chosen user sees it (card-host/), all kept current
// over /_sandbox/live without reloading. The full control page with every lever and log stays at /_sandbox.
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import type { SandboxContext } from '../context';
import { escapeHtml, html, type RawHtml } from '../html';
import type { SandboxPortal } from '../types';
import { inboxPart, ticketPart, type Selection } from './views';

const STATIC = { 'helpdesk.css': 'text/css', 'helpdesk.js': 'text/javascript' } as const;

function select(ctx: SandboxContext, c: Context): Selection | undefined {
  const portals = Object.values(ctx.state.portals);
  const portal = ctx.state.portals[c.req.query('portalId') ?? ''] ?? portals.find((p) => p.install?.active) ?? portals[0];
  if (!portal) return undefined;
  const ticket = portal.tickets[c.req.query('ticketId') ?? ''] ?? Object.values(portal.tickets).filter((t) => !t.archived).at(-1);
  const viewerId = portal.users[c.req.query('viewer') ?? ''] ? c.req.query('viewer')! : String(Object.values(portal.users)[0]?.userId ?? '');
  return { portal, ticket: ticket?.archived ? undefined : ticket, viewerId };
}

const livePart = (ctx: SandboxContext, sel: Selection): RawHtml =>
  html`<div id="live">${inboxPart(ctx, sel)}${ticketPart(ctx, sel)}</div>`;

function appStrip(ctx: SandboxContext, portal: SandboxPortal): RawHtml {
  const install = portal.install;
  const tokens = Object.values(ctx.state.privateAppTokens).filter((t) => t.portalId === portal.portalId && !t.revoked);
  return html`<div class="strip" data-live-part="strip">
    <span>Portal <b>${portal.name}</b> <span class="mono">${portal.portalId}</span></span>
    <span class="pill ${install?.active ? 'ok' : 'bad'}" data-testid="install-status">${install?.active ? 'OpenCX installed' : 'OpenCX not installed: connect it in OpenCX Settings'}</span>
    <span>App client id <span class="mono">${ctx.app.clientId}</span></span>
    ${tokens.map((t) => html`<span>Private App token <span class="mono" data-testid="private-app-token">${t.token}</span></span>`)}
    <form class="inline" method="post" action="/_sandbox/create-private-app-token" data-async data-testid="create-private-app-token"><input type="hidden" name="portalId" value="${portal.portalId}"><button type="submit" class="secondary">New Private App token</button></form>
  </div>`;
}

export function helpdeskRoutes(ctx: SandboxContext): Hono {
  const r = new Hono();
  for (const [name, type] of Object.entries(STATIC)) {
    const url = new URL(`./${name}`, import.meta.url);
    r.get(`/_sandbox/${name}`, (c) => c.body(readFileSync(url, 'utf8'), 200, { 'Content-Type': `${type}; charset=utf-8` }));
  }
  r.get('/helpdesk/live', (c) => {
    const sel = select(ctx, c);
    return c.html(sel ? html`${appStrip(ctx, sel.portal)}${livePart(ctx, sel)}`.value : '');
  });
  r.get('/helpdesk', (c) => {
    const sel = select(ctx, c);
    if (!sel) return c.html('<p>No portal: create one on <a href="/_sandbox">the control page</a>.</p>');
    const { portal, ticket, viewerId } = sel;
    const viewers = Object.values(portal.users).map((u) => html`<option value="${u.userId}" ${String(u.userId) === viewerId ? 'selected' : ''}>${u.firstName} ${u.lastName}</option>`);
    const card = ticket ? `/_sandbox/card?portalId=${portal.portalId}&ticketId=${ticket.id}&userId=${viewerId}` : '';
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Help desk · HubSpot sandbox</title><link rel="stylesheet" href="/_sandbox/helpdesk.css"><script src="/_sandbox/helpdesk.js" defer></script></head>
<body data-portal-id="${portal.portalId}" data-ticket-id="${escapeHtml(ticket?.id ?? '')}" data-viewer="${escapeHtml(viewerId)}">
<header><b>HubSpot</b><span>sandbox · help desk</span><span class="muted">a local stand-in, not HubSpot</span>
<nav>${Object.values(ctx.state.portals).map((p) => html`<a href="/helpdesk?portalId=${p.portalId}">${p.name}</a>`).map(String).join(' ')} <a href="/_sandbox">all controls and logs</a></nav></header>
<div id="flash" data-testid="flash" role="status"></div>
${appStrip(ctx, portal).value}
<main class="desk">${livePart(ctx, sel).value}
<aside class="sidebar"><label>View the card as <select id="viewer" data-testid="viewer-select">${viewers.map(String).join('')}</select></label>
${card ? `<iframe id="card-frame" data-testid="card-frame" title="OpenCX card" src="${escapeHtml(card)}"></iframe>` : '<p class="muted">The card shows for a chosen ticket.</p>'}</aside></main>
</body></html>`);
  });
  return r;
}
