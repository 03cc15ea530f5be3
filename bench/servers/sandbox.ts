// The local HubSpot sandbox as the benchmark's HubSpot, in its own process: every HubSpot API call the server
// makes during the run lands here, on loopback. At start it creates the portals (one user each, app installed)
// and the tickets the scenarios use (in the first portal), writes them to BENCH_FIXTURES_PATH, then listens.
import { writeFileSync } from 'node:fs';
import { createSandbox } from '../../test/sandbox/index';
import type { SandboxFixtures, SandboxSpec } from '../lib/fixtures';

const spec = JSON.parse(process.env['BENCH_SANDBOX_SPEC'] ?? '') as SandboxSpec;

const sandbox = createSandbox({
  app: { appId: spec.app.appId, clientId: spec.app.clientId, clientSecret: spec.app.clientSecret },
  seedDemoPortal: false,
  // No webhook target: the runner is HubSpot's webhook sender in the benchmark, the sandbox only answers API calls.
  profileVariables: {},
  // The sandbox's own per-portal limit (110 per 10 s) would make this a benchmark of the retry path; with a
  // 1 ms window it never throttles and its bookkeeping stays O(1).
  rateLimit: { max: 1_000_000_000, intervalMs: 1 },
  accessTokenTtlSeconds: 6 * 3600,
});

const fixtures: SandboxFixtures = { portals: [], tickets: [] };
for (let i = 0; i < spec.portals; i++) {
  const portal = sandbox.control.createPortal({ portalId: spec.firstPortalId + i });
  const user = Object.values(portal.users)[0]!;
  const tokens = sandbox.control.installApp({ portalId: portal.portalId, userId: user.userId });
  fixtures.portals.push({
    portalId: portal.portalId,
    userId: user.userId,
    ownerId: user.ownerId,
    email: user.email,
    userName: `${user.firstName} ${user.lastName}`,
    hubDomain: portal.domain,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  });
}
const first = fixtures.portals[0]!;
for (let i = 0; i < spec.tickets; i++) {
  const ticket = sandbox.control.createTicket({ portalId: first.portalId, subject: `Bench ticket ${i}` });
  fixtures.tickets.push({ portalId: first.portalId, ticketId: ticket.id });
}
writeFileSync(spec.fixturesPath, JSON.stringify(fixtures));

const listening = await sandbox.listen(spec.port, '127.0.0.1');
process.stdout.write(`BENCH_READY ${JSON.stringify({ url: listening.url })}\n`);
process.on('SIGTERM', () => {
  void listening
    .close()
    .then(() => sandbox.close())
    .finally(() => process.exit(0));
});
