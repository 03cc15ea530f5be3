// What the sandbox page listens to over server-sent events (dashboard-live.ts): "something changed" for the
// help-desk view to refetch, and each CRM or conversation change HubSpot would turn into a webhook, so that the card
// host reloads the card when the backend writes the ticket's AI status property (as HubSpot refreshes a card).
import type { Change } from './context';

export type LiveEvent = { type: 'state' } | { type: 'change'; portalId: number; change: Change };

export class LiveEvents {
  private listeners = new Set<(event: LiveEvent) => void>();
  private statePending = false;

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  change(portalId: number, change: Change): void {
    this.publish({ type: 'change', portalId, change });
  }

  /** Coalesced to one event per tick: a webhook batch or a form changes many records at once. */
  stateChanged(): void {
    if (this.statePending || this.listeners.size === 0) return;
    this.statePending = true;
    setTimeout(() => {
      this.statePending = false;
      this.publish({ type: 'state' });
    }, 30).unref();
  }

  private publish(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
