// A throwaway PostgreSQL cluster for one test or benchmark run: initdb into a temporary folder, started on a free
// loopback port, removed at stop. initdb refuses to run as root, so as root the cluster belongs to the `postgres`
// user (Debian's package creates it); the socket lives in the cluster's folder, never in /var/run.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

export interface PostgresCluster {
  /** A superuser URL of the cluster's `postgres` database. */
  adminUrl: string;
  port: number;
  dir: string;
  /** The cluster's data folder (PGDATA). */
  dataDir: string;
  /** The URL of another database of this cluster. */
  urlOf(database: string): string;
  /** Immediate shutdown, then the folder is removed. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Durability settings off (fsync, synchronous_commit): for tests, whose data dies with the run anyway. */
  fast?: boolean;
}

/** The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDir(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL is not installed (no ${PG_ROOT}/*/bin/initdb): apt-get install -y postgresql (.ci/run does)`);
  return join(PG_ROOT, newest, 'bin');
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'opencx-pg-'));
  const asRoot = process.getuid?.() === 0;
  // As root, every command runs as `postgres`, which must own the folder.
  const exec = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    ...(options.fast ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ];
  await exec('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', settings.join(' '), 'start']);
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlOf('postgres'),
    port,
    dir,
    dataDir: data,
    urlOf,
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
