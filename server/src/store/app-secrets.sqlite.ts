import { randomBytes } from 'node:crypto';
import type { TokenCipher } from '../crypto/token-cipher';
import type { AppSecretsStore } from './app-secrets.store';
import type { SqliteDatabase } from './db';

const metaKey = (name: string) => `secret.${name}`;

export function createAppSecretsSqlite(db: SqliteDatabase, cipher: TokenCipher): AppSecretsStore {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?');
  // DO NOTHING: when another process created the key first, its key wins and we read it back.
  const insert = db.prepare('INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');

  const upsert = db.prepare('INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  return {
    async getValue(name) {
      return select.get(`value.${name}`)?.value ?? null;
    },
    async setValue(name, value, now) {
      upsert.run(`value.${name}`, value, now);
    },
    async getOrCreateKey(name, now) {
      const key = metaKey(name);
      if (!select.get(key)) insert.run(key, cipher.encrypt(randomBytes(32).toString('base64'), `app_meta.${key}`), now);
      return Buffer.from(cipher.decrypt(select.get(key)!.value, `app_meta.${key}`), 'base64');
    },
  };
}
