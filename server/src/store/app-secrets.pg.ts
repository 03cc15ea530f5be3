import { randomBytes } from 'node:crypto';
import type { TokenCipher } from '../crypto/token-cipher';
import type { AppSecretsStore } from './app-secrets.store';
import type { Sql } from './pg-sql';

const metaKey = (name: string) => `secret.${name}`;

export function createAppSecretsPg(sql: Sql, cipher: TokenCipher): AppSecretsStore {
  const read = (key: string) => sql.one<{ value: string }>('SELECT value FROM app_meta WHERE key = $1', [key]);
  return {
    async getValue(name) {
      return (await read(`value.${name}`))?.value ?? null;
    },
    async setValue(name, value, now) {
      await sql.run('INSERT INTO app_meta (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at', [
        `value.${name}`, value, now,
      ]);
    },
    async getOrCreateKey(name, now) {
      const key = metaKey(name);
      if (!(await read(key))) {
        // DO NOTHING: when another instance created the key first, its key wins and we read it back.
        await sql.run('INSERT INTO app_meta (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [
          key,
          cipher.encrypt(randomBytes(32).toString('base64'), `app_meta.${key}`),
          now,
        ]);
      }
      return Buffer.from(cipher.decrypt((await read(key))!.value, `app_meta.${key}`), 'base64');
    },
  };
}
