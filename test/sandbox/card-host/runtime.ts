/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The host's side of HubSpot's extension runtime in the page: the render function the card registers with
// `hubspot.extend`, and `hubspot.fetch` through the sandbox. One per page, like HubSpot's iframe per card, hence
// a single object rather than state passed around: the card module reaches it only through its import.
import type { ReactNode } from 'react';

export interface HostIdentity {
  portalId: number;
  userId: number;
}

export type ExtensionRender = (api: { context: unknown; actions: { addAlert(alert: { type?: string; title?: string; message: string }): void } }) => ReactNode;

export interface FetchResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

class HostRuntime {
  render: ExtensionRender | undefined;
  identity: HostIdentity | undefined;

  register(render: ExtensionRender): void {
    this.render = render;
  }

  async fetch(url: string, options: { method?: string; body?: unknown; timeout?: number }): Promise<FetchResponse> {
    if (!this.identity) throw new Error('the card host has no identity yet');
    // The sandbox's control operation `card-fetch` is HubSpot's proxy: it appends the identity parameters, signs
    // the final URL with the app secret, and forwards the request to the backend (test/sandbox/card-fetch.ts).
    const res = await fetch('/_sandbox/card-fetch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...this.identity, url, method: options.method ?? 'GET', body: options.body, timeoutMs: options.timeout }),
    });
    const proxied = (await res.json()) as { status?: number; body?: unknown; error?: string | { message: string } };
    if (!res.ok || proxied.status === undefined) throw new Error(typeof proxied.error === 'object' ? proxied.error.message : 'the sandbox refused the card fetch');
    // Like hubspot.fetch, a request that got no response at all rejects.
    if (proxied.status === 0) throw new Error(String(proxied.error ?? 'no response'));
    const status = proxied.status;
    return { ok: status >= 200 && status < 300, status, json: async () => proxied.body };
  }
}

export const hostRuntime = new HostRuntime();
