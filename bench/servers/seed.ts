// Seeds a benchmark database through the server's own store (openStore on the file the server will open):
// organizations with OAuth connections to sandbox portals, an open chat session with an active ticket link per
// sandbox ticket, and optionally a history of processed webhook events. Runs in its own process before the
// server starts, so the server begins with a cold cache like a restarted production instance.
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createLogger } from '@opencx/server/logger';
import { openStore } from '@opencx/server/store/open-store';
import type { Store } from '@opencx/server/store/store';
import { toInboxRow } from '@opencx/server/inbox/intake';
import { parseWebhookBatch } from '@opencx/shared';
import {
  organizationIdFor,
  sessionIdFor,
  type SandboxFixtures,
  type SeedReport,
  type SeedSpec,
} from '../lib/fixtures';
import { storedEvent } from '../lib/hubspot-requests';

const started = performance.now();
const spec = JSON.parse(process.env['BENCH_SEED_SPEC'] ?? '') as SeedSpec;
const fixtures = JSON.parse(readFileSync(spec.fixturesPath, 'utf8')) as SandboxFixtures;
const app = JSON.parse(process.env['BENCH_APP'] ?? '') as { appId: number; clientId: string; clientSecret: string };
const now = Date.now();

const store = openStore(
  { databasePath: spec.databasePath, dataDir: spec.dataDir, tokenEncryptionKey: Buffer.from(spec.tokenEncryptionKey, 'base64') },
  createLogger({ level: 'warn' }),
  now,
);

/** Writes in transactions of `size`: one commit per chunk instead of one per row. */
async function inChunks<T>(items: readonly T[], size: number, write: (tx: Store, item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await store.transaction(async (tx) => {
      for (const item of items.slice(i, i + size)) await write(tx, item);
    });
  }
}

const portals = fixtures.portals.slice(0, spec.portals);
await inChunks(portals, 500, async (tx, portal) => {
  const organizationId = organizationIdFor(portal.portalId);
  await tx.organizations.create({
    id: organizationId,
    name: `Bench org ${portal.portalId}`,
    oauthOnly: false,
    unassignPolicy: 'stay_paused',
    createdAt: now,
  });
  await tx.connections.saveOAuthConnection(
    {
      organizationId,
      portalId: portal.portalId,
      connectedBy: { hubspotUserId: portal.userId, email: portal.email },
      scopes: ['oauth', 'tickets', 'conversations.read', 'conversations.write', 'automation'],
      hubDomain: portal.hubDomain,
      tokens: { accessToken: portal.accessToken, refreshToken: portal.refreshToken, expiresAt: now + portal.expiresIn * 1000 },
    },
    now,
  );
});

// The AI sender of the first portal (the one the reply probes write to), chosen as the settings page does
// (connect/ai-user.ts chooseAiUser: the portal user's id, name and email). Without one the AI does not post.
const probePortal = portals[0]!;
await store.connections.setAiUser(
  organizationIdFor(probePortal.portalId),
  { hubspotUserId: probePortal.userId, name: probePortal.userName, email: probePortal.email },
  now,
);

// The scenarios' tickets, then one conversation with a ticket for every other portal (ids the sandbox never
// created: nothing asks HubSpot about them), so that a portal's data is not just its connection.
const tickets = [
  ...fixtures.tickets,
  ...portals.slice(1).map((p) => ({ portalId: p.portalId, ticketId: String(9_000_000_000 + p.portalId) })),
];
await inChunks(tickets, 500, async (tx, ticket) => {
  const id = sessionIdFor(ticket);
  await tx.sessions.create({
    id,
    organizationId: organizationIdFor(ticket.portalId),
    portalId: ticket.portalId,
    threadId: `bench-thread-${ticket.ticketId}`,
    contactId: `bench-contact-${ticket.ticketId}`,
    channel: 'chat',
    status: 'open',
    createdAt: now,
    updatedAt: now,
  });
  await tx.ticketLinks.link({ portalId: ticket.portalId, ticketId: ticket.ticketId, sessionId: id }, now);
});

// Stored history: rows written by the inbox's own insertBatch from the intake's own rows (toInboxRow), 100
// events per batch like a busy HubSpot delivery, many batches per commit; then marked processed in one statement
// (the store has no bulk "done", and claiming a million events one by one would measure the worker, not seeding).
if (spec.storedEvents > 0) {
  const start = now - 30 * 86_400_000;
  for (let done = 0; done < spec.storedEvents; done += 10_000) {
    const count = Math.min(10_000, spec.storedEvents - done);
    await store.transaction(async (tx) => {
      for (let b = 0; b < count; b += 100) {
        // Spread over the 30 days before now, so that time-ordered indexes hold realistic keys.
        const raw = Array.from({ length: Math.min(100, count - b) }, (_, i) => {
          const n = done + b + i;
          return storedEvent(app, portals[n % portals.length]!, start + Math.floor((n / spec.storedEvents) * 30 * 86_400_000));
        });
        const parsed = parseWebhookBatch(raw);
        if (!parsed.ok) throw new Error(`seed events do not parse: ${parsed.errors[0]?.message}`);
        await tx.inbox.insertBatch(
          parsed.events.map((event, i) => toInboxRow(event, raw[i])),
          start,
        );
      }
    });
  }
}
await store.close();

if (spec.storedEvents > 0) {
  const db = new Database(spec.databasePath);
  db.prepare("UPDATE webhook_inbox SET status = 'done', attempts = 1, processed_at = occurred_at + 50 WHERE status = 'pending'").run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const report: SeedReport = {
  portals: portals.length,
  sessions: tickets.length,
  storedEvents: spec.storedEvents,
  ms: performance.now() - started,
  databaseMb: statSync(spec.databasePath).size / 1024 / 1024,
};
process.stdout.write(`BENCH_SEEDED ${JSON.stringify(report)}\n`);
