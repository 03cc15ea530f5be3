// `npm start`: the server on its SQLite file and, when no HubSpot app credentials are configured, the local
// HubSpot sandbox and OpenCX API stand-in with it, wired to each other, plus a demo organization (with a demo
// OpenCX API key) and a sign-in link. Prints the URLs to open.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@opencx/server/config';
import { ensureDemoAdmin, issueSignInLink } from '@opencx/server/admin/provision';
import { startServer } from '@opencx/server/start-server';
import { createSandbox } from '../test/sandbox/index';
import { listenErrorLine } from '../test/sandbox/listen-error';
import { createOpenCxSandbox } from '../test/opencx-sandbox/index';

const env = { ...process.env };
const DEMO_AI_EMAIL = 'opencx-ai@demo-helpdesk.example.com';
const usesSandbox = !env['HUBSPOT_CLIENT_ID'];
const port = env['PORT'] || '3000';
const sandboxPort = env['SANDBOX_PORT'] || '4010';
const publicBaseUrl = env['PUBLIC_BASE_URL'] || `http://127.0.0.1:${port}`;
let stopSandbox = async () => {};
let starting: 'sandbox' | 'opencx' | 'server' = 'sandbox';
const opencx = createOpenCxSandbox();
let opencxStandIn = false;
const opencxPort = env['OPENCX_SANDBOX_PORT'] || '4020';

try {
  if (usesSandbox) {
    // Beside the server's data, so that a restart finds the app, installs, tickets and id counters the server's
    // database refers to (test/sandbox/state-file.ts); deleting ./data/ starts both over together.
    const stateFile = join(loadConfig(env).dataDir, 'hubspot-sandbox.json');
    const sandbox = createSandbox({
      profileVariables: { BACKEND_URL: publicBaseUrl },
      stateFile,
      log: (line) => console.log(`[sandbox] ${line}`),
    });
    // The teammate the demo's AI posts as (Settings → AI sender): a dedicated user, so that an agent taking a
    // conversation (Jane, Sam) is always a person taking over. Kept in the state file after the first run.
    const demoPortal = sandbox.state.portals['62515'];
    if (demoPortal && !Object.values(demoPortal.users).some((u) => u.email === DEMO_AI_EMAIL)) {
      sandbox.control.createUser({ portalId: 62515, email: DEMO_AI_EMAIL, firstName: 'OpenCX', lastName: 'AI' });
    }
    const listening = await sandbox.listen(Number(sandboxPort), '127.0.0.1');
    stopSandbox = async () => {
      await listening.close();
      await sandbox.close();
    };
    Object.assign(env, {
      HUBSPOT_CLIENT_ID: sandbox.appCredentials.clientId,
      HUBSPOT_CLIENT_SECRET: sandbox.appCredentials.clientSecret,
      HUBSPOT_APP_ID: String(sandbox.appCredentials.appId),
      HUBSPOT_API_BASE_URL: listening.url,
      HUBSPOT_AUTHORIZE_URL: `${listening.url}/oauth/authorize`,
    });
    const kept = sandbox.persistence.start === 'restored' ? 'state restored from' : 'state kept in';
    console.log(`HubSpot sandbox: ${listening.url}/  (no HUBSPOT_CLIENT_ID set, so the local sandbox plays HubSpot; ${kept} ${stateFile})`);
    console.log(`  Help desk, with the OpenCX card as agents see it: ${listening.url}/helpdesk`);
    if (!env['OPENCX_API_BASE_URL']) {
      starting = 'opencx';
      const standIn = await opencx.listen(Number(opencxPort), '127.0.0.1');
      const stopHubSpot = stopSandbox;
      stopSandbox = async () => {
        await standIn.close();
        await stopHubSpot();
      };
      env['OPENCX_API_BASE_URL'] = standIn.url;
      opencxStandIn = true;
      console.log(`OpenCX API stand-in: ${standIn.url}  (the demo organization's OpenCX API key is accepted there)`);
    }
  }
  starting = 'server';
  const server = await startServer(loadConfig(env));
  console.log(`OpenCX for HubSpot: ${server.url}`);
  console.log(`  Settings → Integrations → HubSpot: ${server.url}/settings/integrations/hubspot`);
  if (usesSandbox) {
    // The demo organization's admin (created on the first run) and a fresh one-time link: the way in for this run.
    // Only against the sandbox: with a real HubSpot app this is production, where a link in the log is a live
    // credential for whoever reads the log, and admins are created with the admin CLI.
    const demo = await ensureDemoAdmin(server.deps);
    if (opencxStandIn) {
      // The stand-in forgets its keys on exit: it accepts the demo organization's saved key again (or a new one).
      const saved = await server.deps.store.opencxKeys.get(demo.organization.id);
      const demoKey = saved?.apiKey ?? `ocx_demo_${randomBytes(12).toString('hex')}`;
      if (!saved) await server.deps.store.opencxKeys.save(demo.organization.id, demoKey, Date.now());
      opencx.addKey(demoKey);
    }
    const link = await issueSignInLink(server.deps, demo.admin.id);
    console.log(`  Sign in as ${demo.admin.email} (${demo.organization.name}) with this one-time link, valid 15 minutes:`);
    console.log(`    ${link.url}`);
    console.log('    (another: npm run admin -- sign-in-link --email ' + demo.admin.email + ')');
  } else {
    console.log('  Admins sign in with links from the admin CLI: npm run admin -- help');
  }

  const stop = async () => {
    await server.close();
    await stopSandbox();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (err) {
  await stopSandbox();
  const busy =
    starting === 'sandbox' ? listenErrorLine(err, sandboxPort, 'sandbox', 'SANDBOX_PORT')
    : starting === 'opencx' ? listenErrorLine(err, opencxPort, 'OpenCX API stand-in', 'OPENCX_SANDBOX_PORT')
    : listenErrorLine(err, port, 'server', 'PORT');
  console.error(busy ?? (err instanceof ConfigError ? err.message : err));
  process.exit(1);
}
