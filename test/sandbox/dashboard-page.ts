// GET / and /_sandbox: one page to watch and drive the sandbox (portals, tickets, threads, deliveries,
// action executions) so the whole story can be played by clicking during a local run.
import { Hono } from 'hono';
import type { SandboxContext } from './context';
import { form, portalSection } from './dashboard-portal';
import { html, page, type RawHtml } from './html';

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);

function appSection(ctx: SandboxContext): RawHtml {
  const w = ctx.state.webhook;
  const target = w.targetOverride ?? w.configuredTargetUrl;
  return html`<section class="card" data-testid="app">
  <h2>App <span id="app-name">${ctx.app.name}</span></h2>
  <table><tr><th>App id</th><td class="mono" data-testid="app-id">${ctx.app.appId}</td><th>Client id</th><td class="mono" data-testid="client-id">${ctx.app.clientId}</td></tr>
  <tr><th>Client secret</th><td class="mono" data-testid="client-secret">${ctx.app.clientSecret}</td><th>Redirect URIs</th><td class="mono">${ctx.app.redirectUris.join(' ') || 'any (none registered)'}</td></tr>
  <tr><th>Webhook target</th><td class="mono" data-testid="webhook-target">${target ?? 'none'}</td><th>Subscriptions</th><td>${w.subscriptions.map((s) =>
    html`<span class="pill">${s.subscriptionType}${s.objectType ? ` ${s.objectType}` : ''}${s.propertyName ? ` ${s.propertyName}` : ''}</span> `)}</td></tr>
  <tr><th>Workflow actions</th><td colspan="3">${ctx.state.actionDefinitions.map((d) => html`<span class="pill">${d.uid} → ${d.actionUrl ?? 'no actionUrl'}</span> `)}</td></tr></table>
  ${ctx.project.warnings.length ? html`<p class="muted">Project files: ${ctx.project.warnings.join(' · ')}</p>` : ''}
  ${form('set-webhook-target', html`<input name="url" placeholder="webhook target URL" size="40" value="${w.targetOverride ?? ''}">`, 'Set webhook target', { testid: 'set-webhook-target' })}
</section>`;
}

function leversSection(ctx: SandboxContext): RawHtml {
  const inj = ctx.state.webhook.injections;
  return html`<section class="card" data-testid="levers"><h2>Test levers</h2>
  <p>Rate limit: <b data-testid="rate-limit">${ctx.state.rateLimit.max} / ${ctx.state.rateLimit.intervalMs} ms</b></p>
  ${form('set-rate-limit', html`<input name="max" type="number" min="1" value="${ctx.state.rateLimit.max}"><input name="intervalMs" type="number" min="1" value="${ctx.state.rateLimit.intervalMs}">`, 'Set rate limit', { testid: 'set-rate-limit' })}
  <p>Faults: ${ctx.state.faults.length === 0 ? 'none' : ctx.state.faults.map((f) => html`<span class="pill" data-testid="fault-${f.id}">${f.pathPrefix ?? 'all'} → ${f.kind}${f.status ? ` ${f.status}` : ''}${f.delayMs ? ` ${f.delayMs}ms` : ''} (${f.hits} hits)</span> `)}</p>
  ${form('add-fault', html`<input name="pathPrefix" placeholder="/crm, /oauth, … (all)"><select name="status"><option value="">status…</option><option>500</option><option>502</option><option>503</option><option>429</option></select>
    <input name="delayMs" type="number" placeholder="delay ms"><label><input type="checkbox" name="hang"> hang</label><input name="durationMs" type="number" placeholder="for ms"><input name="count" type="number" placeholder="count">`, 'Add fault', { testid: 'add-fault' })}
  ${form('clear-faults', [], 'Clear faults', { testid: 'clear-faults', danger: true })}
  <p>Webhook injections: <span data-testid="injections">${JSON.stringify(inj)}</span></p>
  ${form('set-delivery-injections', html`<input name="duplicate" type="number" min="1" placeholder="copies" value="${inj.duplicate ?? ''}">
    <select name="order"><option value="none">in order</option><option value="reverse" ${inj.order === 'reverse' ? 'selected' : ''}>reverse</option><option value="shuffle" ${inj.order === 'shuffle' ? 'selected' : ''}>shuffle</option></select>
    <label><input type="checkbox" name="dropFirstAttempt" ${inj.dropFirstAttempt ? 'checked' : ''}> drop first attempt</label>`, 'Set injections', { testid: 'set-injections' })}
  ${form('clear-delivery-injections', [], 'Clear injections', { testid: 'clear-injections', danger: true })}
  ${form('reset', [], 'Reset sandbox', { testid: 'reset', danger: true })}
</section>`;
}

function activitySection(ctx: SandboxContext): RawHtml {
  const deliveries = ctx.state.webhookDeliveries.slice(-30).reverse();
  const executions = ctx.state.actionExecutions.slice(-30).reverse();
  const fetches = ctx.state.cardFetches.slice(-10).reverse();
  return html`<section class="card"><h2>Workflow action executions</h2>
  <table data-testid="executions"><tr><th>#</th><th>Callback</th><th>Action</th><th>Status</th><th>Output</th><th>Via</th><th>Attempts</th></tr>
  ${executions.map((e) => html`<tr data-testid="execution-${e.id}"><td>${e.id}</td><td class="mono">${e.callbackId}</td><td>${e.actionUid ?? e.url}</td>
    <td class="${e.status === 'failed' ? 'bad' : e.status === 'completed' ? 'ok' : ''}" data-testid="execution-${e.id}-status">${e.status}</td>
    <td class="mono">${JSON.stringify(e.outputFields ?? {})}</td><td>${e.completedVia ?? ''}</td><td>${e.attempts.map((a) => a.status ?? a.error).join(', ')}</td></tr>`)}</table></section>
  <section class="card"><h2>Webhook deliveries (latest 30)</h2>
  <table data-testid="deliveries"><tr><th>#</th><th>At</th><th>Batch</th><th>Attempt</th><th>Result</th><th>ms</th><th>Events</th></tr>
  ${deliveries.map((d) => html`<tr data-testid="delivery-${d.id}"><td>${d.id}</td><td class="mono">${time(d.startedAt)}</td><td>${d.batchId}</td><td>${d.attemptNumber}</td>
    <td class="${d.ok ? 'ok' : 'bad'}">${d.ok ? d.status : (d.error ?? 'in flight')}</td><td>${d.durationMs ?? ''}</td>
    <td>${d.events.map((e) => html`<span class="pill">${e.subscriptionType}${e['propertyName'] ? `:${String(e['propertyName'])}` : ''} #${e.objectId}</span> `)}</td></tr>`)}</table></section>
  <section class="card"><h2>Card fetches</h2>
  ${fetches.map((f) => html`<div class="msg" data-testid="card-fetch-${f.id}"><span class="mono">${f.method} ${f.url}</span> → ${f.status}${f.error ? ` (${f.error})` : ''}<br><span class="mono">${JSON.stringify(f.responseBody)}</span></div>`)}
  ${form('card-fetch', html`<input name="portalId" placeholder="portalId" size="8" required><input name="userId" placeholder="userId" size="8" required>
    <select name="method"><option>GET</option><option>POST</option></select><input name="url" placeholder="https://…/hubspot/card/ai-status?ticketId=…" size="50" required>`, 'Fetch as card', { testid: 'card-fetch' })}
  </section>`;
}

export function dashboardRoutes(ctx: SandboxContext): Hono {
  const r = new Hono();
  const render = (ok?: string, error?: string) => page('HubSpot sandbox', html`
    ${ok ? html`<div class="card ok" data-testid="flash-ok">Done: ${ok}</div>` : ''}
    ${error ? html`<div class="card bad" data-testid="flash-error">${error}</div>` : ''}
    <p class="card"><a href="/helpdesk" data-testid="helpdesk-link">Help desk</a>: tickets and conversations as an agent works them, updated live, with the OpenCX card beside them.</p>
    ${appSection(ctx)}
    ${Object.values(ctx.state.portals).map((p) => portalSection(ctx, p))}
    ${form('create-portal', html`<input name="name" placeholder="portal name">`, 'Create portal', { testid: 'create-portal' })}
    ${activitySection(ctx)}
    ${leversSection(ctx)}`);
  r.get('/', (c) => c.html(render(c.req.query('ok'), c.req.query('error'))));
  r.get('/_sandbox', (c) => c.html(render(c.req.query('ok'), c.req.query('error'))));
  return r;
}
