// Keeps the help-desk page current without reloads (helpdesk/routes.ts): on each change the sandbox announces over
// /_sandbox/live, the live parts are fetched again and only those that changed are swapped in. Forms post with
// fetch, so acting never reloads the page (nor the card beside it, which follows the ticket on its own).
const body = document.body;
const flash = document.getElementById('flash');
const query = () => new URLSearchParams({ portalId: body.dataset.portalId, ticketId: body.dataset.ticketId, viewer: body.dataset.viewer });

let running = false;
let queued = false;
async function refresh() {
  if (running) { queued = true; return; }
  running = true;
  try {
    const res = await fetch(`/helpdesk/live?${query()}`);
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
    for (const part of fresh.querySelectorAll('[data-live-part]')) {
      const current = document.querySelector(`[data-live-part="${part.dataset.livePart}"]`);
      if (!current || current.outerHTML === part.outerHTML) continue;
      // Text being typed is not thrown away: that part is swapped once its field loses focus.
      const active = document.activeElement;
      if (active && current.contains(active) && active.value && active.tagName === 'INPUT') {
        active.addEventListener('blur', () => void refresh(), { once: true });
        continue;
      }
      current.replaceWith(document.importNode(part, true));
    }
  } finally {
    running = false;
    if (queued) { queued = false; void refresh(); }
  }
}

const events = new EventSource('/_sandbox/live');
events.addEventListener('state', () => void refresh());
events.onopen = () => { body.dataset.live = 'connected'; void refresh(); };
events.onerror = () => { body.dataset.live = 'reconnecting'; };

function show(text, ok) {
  flash.textContent = text;
  flash.className = ok ? 'ok' : 'bad';
}

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-async]');
  if (!form) return;
  event.preventDefault();
  const op = new URL(form.action).pathname.split('/').pop();
  const res = await fetch(form.action, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(new FormData(form)),
  });
  const out = await res.json().catch(() => ({}));
  if (!res.ok) return show(`${op}: ${out.error?.message ?? res.status}`, false);
  if (op === 'create-private-app-token') show(`Private App token for portal ${out.portalId}: ${out.token}`, true);
  else show(`Done: ${op.replaceAll('-', ' ')}`, true);
  for (const input of form.querySelectorAll('input[type=text], input:not([type])')) input.value = '';
  // A new ticket becomes the one being worked.
  if (op === 'create-ticket' && out.id) return location.assign(`/helpdesk?${new URLSearchParams({ portalId: body.dataset.portalId, ticketId: out.id, viewer: body.dataset.viewer })}`);
  void refresh();
});

document.getElementById('viewer')?.addEventListener('change', (event) => {
  body.dataset.viewer = event.target.value;
  history.replaceState(null, '', `/helpdesk?${query()}`);
  const frame = document.getElementById('card-frame');
  if (frame) frame.src = `/_sandbox/card?portalId=${body.dataset.portalId}&ticketId=${body.dataset.ticketId}&userId=${body.dataset.viewer}`;
  void refresh();
});
