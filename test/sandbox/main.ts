// Runs the sandbox standalone: `tsx test/sandbox/main.ts` (or `npm run sandbox -w test`).
// The only sandbox file that reads process.env.
import { createSandbox } from './index';
import { listenErrorLine } from './listen-error';

const env = process.env;
const port = Number(env['SANDBOX_PORT'] ?? 4010);
const hostname = env['SANDBOX_HOST'] ?? '127.0.0.1';
const backendUrl = (env['PUBLIC_BASE_URL'] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const optionalNumber = (v: string | undefined) => (v ? Number(v) : undefined);

// Fixed credentials from the environment let the backend and the sandbox share one .env file.
const sandbox = createSandbox({
  profileVariables: { BACKEND_URL: backendUrl },
  app: {
    appId: optionalNumber(env['HUBSPOT_APP_ID']),
    clientId: env['HUBSPOT_CLIENT_ID'] || undefined,
    clientSecret: env['HUBSPOT_CLIENT_SECRET'] || undefined,
  },
  log: (line) => console.log(`[sandbox] ${line}`),
  // Optional here: `npm start` keeps its sandbox beside the server's data (scripts/start.ts).
  stateFile: env['SANDBOX_STATE_FILE'] || undefined,
});

const { url, close } = await sandbox.listen(port, hostname).catch(async (err: unknown) => {
  await sandbox.close();
  console.error(listenErrorLine(err, port, 'sandbox', 'SANDBOX_PORT') ?? err);
  process.exit(1);
});
const creds = sandbox.appCredentials;
console.log(`HubSpot sandbox listening on ${url}
  dashboard              ${url}/
  HUBSPOT_API_BASE_URL   ${url}
  HUBSPOT_AUTHORIZE_URL  ${url}/oauth/authorize
  HUBSPOT_APP_ID         ${creds.appId}
  HUBSPOT_CLIENT_ID      ${creds.clientId}
  HUBSPOT_CLIENT_SECRET  ${creds.clientSecret}
  webhook target         ${sandbox.state.webhook.targetOverride ?? sandbox.state.webhook.configuredTargetUrl ?? '(none: set one on the dashboard)'}
  demo portal            ${Object.keys(sandbox.state.portals).join(', ')}`);

const stop = async () => {
  await close();
  await sandbox.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
