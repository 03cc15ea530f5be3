// The app's Webhooks Journal (2026-03, global journal): its installs and uninstalls, read in batches with the app's
// client-credentials token. Each entry is a pre-signed file URL (fetched without an Authorization header) that holds
// the event. docs/hubspot-contract.md §1.5.
import { Hono } from 'hono';
import type { ApiEnv } from './api-guard';
import type { SandboxContext } from './context';
import { pathParam, serve } from './contract/route';
import { hsError } from './hs-errors';
import { isoAt } from './ids';
import type { JournalEntry } from './runtime-types';

const FILE_TTL_MS = 5 * 60_000;

/**
 * ASSUMPTION (UNVERIFIED): the content of a journal entry's file. The spec documents only the batch answer
 * (`currentOffset`, `expiresAt`, `url`); the field names below follow the app-lifecycle subscription
 * (`subscriptionType` APP_LIFECYCLE_EVENT, actions APP_INSTALL / APP_UNINSTALL). source: docs/hubspot-contract.md §1.5
 */
export const journalFileOf = (ctx: SandboxContext, e: JournalEntry) => ({
  eventId: e.eventId,
  subscriptionType: 'APP_LIFECYCLE_EVENT',
  action: e.action,
  appId: ctx.app.appId,
  portalId: e.portalId,
  occurredAt: isoAt(e.occurredAt),
});

export function journalRoutes(ctx: SandboxContext): Hono<ApiEnv> {
  const r = new Hono<ApiEnv>();
  const batch = (c: Parameters<Parameters<typeof serve>[3]>[0], entries: JournalEntry[]) => {
    if (c.get('auth').kind !== 'app') {
      // ASSUMPTION (UNVERIFIED): a portal's token is refused like a missing one. source: docs/hubspot-contract.md §1.5
      return hsError(c, 401, 'INVALID_AUTHENTICATION', 'The Webhooks Journal API needs a client credentials token.');
    }
    const count = Number(pathParam(c, 'count'));
    if (!Number.isInteger(count) || count < 1) return hsError(c, 400, 'VALIDATION_ERROR', 'count must be an integer of at least 1');
    const portal = c.req.query('installPortalId');
    const chosen = entries.filter((e) => portal === undefined || String(e.portalId) === portal).slice(0, count);
    const origin = new URL(c.req.url).origin;
    const now = isoAt(ctx.now());
    return c.json({
      status: 'COMPLETE',
      startedAt: now,
      completedAt: now,
      results: chosen.map((e) => ({ currentOffset: e.offset, expiresAt: isoAt(ctx.now() + FILE_TTL_MS), url: `${origin}/_sandbox/journal-files/${e.offset}` })),
    });
  };
  serve(r, ctx, 'journal.batchEarliest', (c) => batch(c, ctx.state.journal));
  serve(r, ctx, 'journal.batchNext', (c) => {
    const at = ctx.state.journal.findIndex((e) => e.offset === pathParam(c, 'offset'));
    // Documented for the 2027-03-beta `next`: an offset that expired or never existed is a 404.
    if (at < 0) return hsError(c, 404, 'OBJECT_NOT_FOUND', 'No journal entry at this offset');
    return batch(c, ctx.state.journal.slice(at + 1));
  });
  // The pre-signed file: no bearer (it is outside the API prefixes, as the real URL is another host).
  r.get('/_sandbox/journal-files/:offset', (c) => {
    const entry = ctx.state.journal.find((e) => e.offset === c.req.param('offset'));
    return entry ? c.json(journalFileOf(ctx, entry)) : c.json({ message: 'not found' }, 404);
  });
  return r;
}
