// `npm run admin -- <command>`: the admin CLI for production (organizations, admins, one-time sign-in links).
// It opens the server's database with the server's configuration; see `npm run admin -- help`.
import { runAdminCli } from '@opencx/server/admin/cli';
import { AppError, ConfigError, createLogger, loadConfig, openStore, systemClock } from '@opencx/server';

let code = 1;
try {
  const config = loadConfig(process.env);
  // Warnings (e.g. a newly generated key file) go to stderr; the links printed below go to stdout.
  const logger = createLogger({ level: 'warn' }, { write: (line: string) => void process.stderr.write(line) });
  const store = openStore(config, logger);
  try {
    code = await runAdminCli(process.argv.slice(2), { config, store, clock: systemClock }, (line) => console.log(line));
  } finally {
    await store.close();
  }
} catch (err) {
  if (err instanceof ConfigError || err instanceof AppError) console.error(err.message);
  else if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) console.error(`${err.message} (see: npm run admin -- help)`);
  else console.error(err);
  code = code === 0 ? 1 : code;
}
process.exit(code);
