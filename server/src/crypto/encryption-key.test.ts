import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_FILE_NAME, loadEncryptionKey } from './encryption-key';

let dir: string;
const logger = { warn: vi.fn() };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opencx-key-'));
  logger.warn.mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadEncryptionKey', () => {
  it('uses the configured key and writes no file', () => {
    const configured = Buffer.alloc(32, 1);
    expect(loadEncryptionKey({ configuredKey: configured, dataDir: dir, logger })).toBe(configured);
    expect(() => statSync(join(dir, KEY_FILE_NAME))).toThrow();
  });

  it('generates a key file with mode 0600 once, warns, and reuses it on the next start', () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = loadEncryptionKey({ configuredKey: null, dataDir, logger });
    const path = join(dataDir, KEY_FILE_NAME);
    expect(first).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toEqual(first);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    const second = loadEncryptionKey({ configuredKey: null, dataDir, logger });
    expect(second).toEqual(first);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file other users can read', () => {
    loadEncryptionKey({ configuredKey: null, dataDir: dir, logger });
    chmodSync(join(dir, KEY_FILE_NAME), 0o644);
    expect(() => loadEncryptionKey({ configuredKey: null, dataDir: dir, logger })).toThrow(/chmod 600/);
  });

  it('refuses a key file that does not hold 32 bytes', () => {
    writeFileSync(join(dir, KEY_FILE_NAME), 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => loadEncryptionKey({ configuredKey: null, dataDir: dir, logger })).toThrow(/32-byte base64 key/);
  });
});
