import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest (OAuth and Private App tokens) with AES-256-GCM.
 *
 * Envelope: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The version prefix lets a later format (a new
 * algorithm, or a key id for rotation) live beside old rows and be told apart without guessing.
 *
 * `context` is bound in as additional authenticated data, naming where the value belongs (column and owner,
 * e.g. `oauth_refresh_token:org_1`): a ciphertext copied into another row or column then fails to decrypt
 * instead of handing one organization another's token.
 */
export interface TokenCipher {
  encrypt(plaintext: string, context: string): string;
  /** Throws TokenDecryptionError when the envelope was tampered with, the context differs or the key is wrong. */
  decrypt(envelope: string, context: string): string;
}

export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt token: ${reason}`);
    this.name = 'TokenDecryptionError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12; // GCM's native nonce size; random per encryption
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export function createTokenCipher(key: Buffer): TokenCipher {
  if (key.length !== KEY_BYTES) throw new Error(`token encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const secret = Buffer.from(key); // a private copy: the caller's buffer may be reused or zeroed

  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map(encodePart).join(':');
    },

    decrypt(envelope, context) {
      const parts = envelope.split(':');
      if (parts[0] !== VERSION) throw new TokenDecryptionError(`unknown envelope version "${parts[0] ?? ''}"`);
      if (parts.length !== 4) throw new TokenDecryptionError('malformed envelope');
      const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenDecryptionError('malformed envelope');
      try {
        const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // GCM cannot tell a wrong key from tampering; neither detail would help an attacker or an operator more.
        throw new TokenDecryptionError('authentication failed (wrong key, wrong context or tampered data)');
      }
    },
  };
}

function encodePart(part: string | Buffer): string {
  return typeof part === 'string' ? part : part.toString('base64url');
}
