/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Renders the card the page's ticket and user, as HubSpot renders it in a ticket's sidebar, and reloads it when
// the ticket changes in the CRM (the backend writes the AI status property after an owner change), as HubSpot
// refreshes a card on a record update: the agent sees Paused without reloading anything.
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { hostRuntime } from './runtime';

interface Alert {
  id: number;
  type?: string;
  title?: string;
  message: string;
}

export function boot(): void {
  const data = document.body.dataset;
  const ticketId = data['ticketId']!;
  const portalId = Number(data['portalId']);
  const userId = Number(data['userId']);
  hostRuntime.identity = { portalId, userId };
  const context = {
    location: 'crm.record.sidebar',
    crm: { objectId: Number(ticketId), objectTypeId: '0-5' },
    portal: { id: portalId, timezone: data['timezone'] ?? 'UTC' },
    user: { id: userId, email: data['userEmail'] ?? '', firstName: data['userFirstName'] ?? '', lastName: data['userLastName'] ?? '' },
    variables: data['backendUrl'] ? { BACKEND_URL: data['backendUrl'] } : {},
  };
  createRoot(document.getElementById('card-root')!).render(h(Host, { ticketId, context }));
}

function Host({ ticketId, context }: { ticketId: string; context: unknown }) {
  const [generation, setGeneration] = useState(0);
  const [alerts, setAlerts] = useState<Alert[]>([]);

  useEffect(() => {
    const events = new EventSource('/_sandbox/live');
    let timer: ReturnType<typeof setTimeout> | undefined;
    events.onopen = () => (document.body.dataset['live'] = 'connected');
    events.addEventListener('change', (e) => {
      const { change } = JSON.parse((e as MessageEvent<string>).data) as { change: { kind: string; objectType?: string; objectId?: string } };
      if (change.kind !== 'object.propertyChange' || change.objectType !== 'ticket' || change.objectId !== ticketId) return;
      // A burst of property writes becomes one reload.
      clearTimeout(timer);
      timer = setTimeout(() => setGeneration((g) => g + 1), 100);
    });
    return () => events.close();
  }, [ticketId]);

  const render = hostRuntime.render;
  if (!render) return h('p', { className: 'hs-text' }, 'The card did not call hubspot.extend.');
  const addAlert = (alert: Omit<Alert, 'id'>) => {
    const id = Date.now() + Math.random();
    setAlerts((list) => [...list, { ...alert, id }]);
    setTimeout(() => setAlerts((list) => list.filter((a) => a.id !== id)), 6000);
  };
  return h('div', null,
    h('div', { key: generation, 'data-card-generation': generation }, render({ context, actions: { addAlert } })),
    h('div', { className: 'host-alerts' }, alerts.map((a) =>
      h('div', { key: a.id, 'data-testid': 'host-alert', className: `hs-alert hs-alert--${a.type ?? 'info'}` }, a.title ? h('strong', null, a.title) : null, h('div', null, a.message)))));
}
