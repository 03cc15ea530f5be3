// GET /_sandbox/card: the OpenCX card for one ticket as one user sees it in HubSpot's ticket sidebar, rendered by
// the card host in this folder; its `hubspot.fetch` goes through the sandbox's signing proxy to the backend.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { SandboxContext } from '../context';
import { escapeHtml } from '../html';
import { cardHostBundle, readCardInfo } from './bundle';

const CSS_PATH = new URL('./card-host.css', import.meta.url);

export function cardHostRoutes(ctx: SandboxContext): Hono {
  const bundle = cardHostBundle(ctx.config.projectDir);
  const r = new Hono();
  r.get('/_sandbox/card-host.js', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.body(await bundle(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  r.get('/_sandbox/card-host.css', (c) => c.body(readFileSync(CSS_PATH, 'utf8'), 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  r.get('/_sandbox/card', (c) => {
    const portal = ctx.state.portals[c.req.query('portalId') ?? ''];
    const ticket = portal?.tickets[c.req.query('ticketId') ?? ''];
    const user = portal?.users[c.req.query('userId') ?? ''];
    if (!portal || !ticket || !user) return c.html(cardPage('Choose a portal, a ticket and a user.', ''), 404);
    const data = {
      portalId: portal.portalId, ticketId: ticket.id, userId: user.userId, userEmail: user.email, userFirstName: user.firstName,
      userLastName: user.lastName, timezone: portal.timeZone, backendUrl: ctx.config.profileVariables['BACKEND_URL'] ?? '',
    };
    const attributes = Object.entries(data).map(([k, v]) => `data-${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}="${escapeHtml(v)}"`).join(' ');
    const body = `<div class="record"><h1 data-testid="record-title">${escapeHtml(ticket.properties['subject'] ?? `Ticket ${ticket.id}`)}</h1>
<p>Ticket ${escapeHtml(ticket.id)} · ${escapeHtml(portal.name)} · viewing as <span data-testid="viewer">${escapeHtml(`${user.firstName} ${user.lastName}`)}</span></p></div>
<section class="crm-card"><header><span>${escapeHtml(readCardInfo(ctx.config.projectDir).name)}</span><small>app card</small></header><div id="card-root"></div></section>`;
    return c.html(cardPage(body, attributes));
  });
  return r;
}

function cardPage(body: string, attributes: string): string {
  const script = attributes ? '<script src="/_sandbox/card-host.js" defer></script>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>OpenCX card · HubSpot sandbox</title><link rel="stylesheet" href="/_sandbox/card-host.css">${script}</head>
<body ${attributes}><div class="sidebar">${attributes ? body : `<p class="host-problem">${escapeHtml(body)}</p>`}</div></body></html>`;
}
