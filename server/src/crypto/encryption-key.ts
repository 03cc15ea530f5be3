import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { KEY_BYTES } from './token-cipher';

export const KEY_FILE_NAME = 'token-encryption.key';

/**
 * The key that encrypts tokens at rest: TOKEN_ENCRYPTION_KEY when set, otherwise a key generated once into
 * DATA_DIR/token-encryption.key (mode 0600) and reused on every later start. Losing that file means every
 * portal has to reconnect, which is why generating it is logged loudly.
 */
export function loadEncryptionKey(options: {
  configuredKey: Buffer | null;
  dataDir: string;
  logger: Pick<Logger, 'warn'>;
}): Buffer {
  if (options.configuredKey) return options.configuredKey;
  const path = join(options.dataDir, KEY_FILE_NAME);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const created = createKeyFile(path);
  if (created) {
    options.logger.warn(
      { path },
      'generated a new token encryption key; back this file up (or set TOKEN_ENCRYPTION_KEY): without it, stored HubSpot tokens cannot be read',
    );
    return created;
  }
  return readKeyFile(path);
}

/** Creates the file only if absent ('wx'), so two processes starting together cannot overwrite each other's key. */
function createKeyFile(path: string): Buffer | null {
  const key = randomBytes(KEY_BYTES);
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
  chmodSync(path, 0o600); // the umask cannot widen 0600, but a filesystem default ACL might; be explicit
  return key;
}

function readKeyFile(path: string): Buffer {
  // Like ssh with a private key: a key others can read is no longer a secret, so refuse rather than warn.
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(
        `${path} is accessible by other users (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${path}\``,
      );
    }
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${path} does not hold a ${KEY_BYTES}-byte base64 key; restore it from backup`);
  }
  return key;
}
