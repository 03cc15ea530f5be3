// The app's Webhooks Journal (2026-03): where HubSpot records the app's installs and uninstalls
// (docs/hubspot-contract.md §1.5). Read with the app's own client-credentials token, not a portal's token: after an
// uninstall the portal's tokens are dead. Plain fetch, like oauth-client.ts, with one timeout per request.
import { z } from 'zod';

export interface AppLifecycleEvent {
  portalId: number;
  action: 'APP_INSTALL' | 'APP_UNINSTALL';
  occurredAt: number;
}

export interface JournalEntry {
  /** `currentOffset`: the next read starts after it. */
  offset: string;
  events: AppLifecycleEvent[];
}

export interface JournalClient {
  /** Up to `count` entries after `offset` (from the earliest kept when null), oldest first. */
  readAfter(offset: string | null, count: number): Promise<JournalEntry[]>;
}

export interface JournalClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The token endpoint generation (HUBSPOT_OAUTH_API_VERSION); both document the client_credentials grant. */
  oauthVersion: '2026-03' | 'v1';
  now: () => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

// The guide's developer scope for reading the journal (the spec's security names `webhooks-journal-data-access`).
const JOURNAL_SCOPE = 'developer.webhooks_journal.read';
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });
const batchAnswer = z.object({ results: z.array(z.object({ currentOffset: z.string().min(1), url: z.string().url() })) });
// UNVERIFIED: the entry file's fields (the spec documents only its URL); see docs/hubspot-contract.md §1.5.
const lifecycleEvent = z.object({
  subscriptionType: z.string(),
  action: z.string(),
  portalId: z.coerce.number().int().positive(),
  occurredAt: z.union([z.number(), z.string()]),
}).passthrough();

export class JournalError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export function createJournalClient(options: JournalClientOptions): JournalClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let token: { value: string; expiresAt: number } | null = null;

  async function get(url: string, headers: Record<string, string>): Promise<unknown> {
    const res = await doFetch(url, { headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new JournalError(`Webhooks Journal: HTTP ${res.status} for ${new URL(url).pathname}`, res.status);
    return JSON.parse(text);
  }

  async function appToken(): Promise<string> {
    if (token && options.now() < token.expiresAt - 60_000) return token.value;
    const path = options.oauthVersion === 'v1' ? '/oauth/v1/token' : '/oauth/2026-03/token';
    const form = { grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret, scope: JOURNAL_SCOPE };
    const res = await doFetch(base + path, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body may echo the secret in an error; only the status goes into the message.
    if (!res.ok) throw new JournalError(`Webhooks Journal: client credentials token refused (HTTP ${res.status})`, res.status);
    const parsed = tokenAnswer.parse(await res.json());
    token = { value: parsed.access_token, expiresAt: options.now() + parsed.expires_in * 1000 };
    return token.value;
  }

  return {
    async readAfter(offset, count) {
      const path = offset === null
        ? `/webhooks-journal/journal/2026-03/batch/earliest/${count}`
        : `/webhooks-journal/journal/2026-03/batch/${encodeURIComponent(offset)}/next/${count}`;
      const batch = batchAnswer.parse(await get(base + path, { Authorization: `Bearer ${await appToken()}` }));
      const entries: JournalEntry[] = [];
      for (const result of batch.results) {
        // A pre-signed URL: requested without the Authorization header.
        const file = await get(result.url, {});
        entries.push({ offset: result.currentOffset, events: lifecycleEventsOf(file) });
      }
      return entries;
    },
  };
}

/** The app install/uninstall events of one entry's file (one event or a list); anything else is skipped. */
export function lifecycleEventsOf(file: unknown): AppLifecycleEvent[] {
  const items = Array.isArray(file) ? file : [file];
  const events: AppLifecycleEvent[] = [];
  for (const item of items) {
    const parsed = lifecycleEvent.safeParse(item);
    if (!parsed.success || parsed.data.subscriptionType !== 'APP_LIFECYCLE_EVENT') continue;
    const { action, portalId, occurredAt } = parsed.data;
    if (action !== 'APP_INSTALL' && action !== 'APP_UNINSTALL') continue;
    const at = typeof occurredAt === 'number' ? occurredAt : Date.parse(occurredAt);
    if (Number.isFinite(at)) events.push({ portalId, action, occurredAt: at });
  }
  return events;
}
