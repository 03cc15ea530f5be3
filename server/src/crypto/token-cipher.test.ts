import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher, TokenDecryptionError } from './token-cipher';

const cipher = createTokenCipher(randomBytes(32));
const CONTEXT = 'hubspot_connections.oauth_refresh_token_enc:org_1';

describe('TokenCipher', () => {
  it('round-trips a token, including non-ASCII and empty text', () => {
    for (const token of ['pat-na1-0f3c2a4e-1111-2222-3333-444455556666', 'ünïcødé 🔑', '']) {
      expect(cipher.decrypt(cipher.encrypt(token, CONTEXT), CONTEXT)).toBe(token);
    }
  });

  it('writes a versioned envelope that never contains the plaintext, with a fresh IV each time', () => {
    const token = 'CNLr-very-recognisable-token';
    const first = cipher.encrypt(token, CONTEXT);
    const second = cipher.encrypt(token, CONTEXT);
    expect(first).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(first).not.toContain(token);
    expect(first).not.toBe(second);
  });

  it('detects tampering with any part of the envelope', () => {
    const envelope = cipher.encrypt('secret-token', CONTEXT);
    const parts = envelope.split(':');
    for (let index = 1; index < parts.length; index += 1) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = parts.map((part, i) => (i === index ? bytes.toString('base64url') : part)).join(':');
      expect(() => cipher.decrypt(tampered, CONTEXT)).toThrow(TokenDecryptionError);
    }
  });

  it('fails with the wrong key', () => {
    const envelope = cipher.encrypt('secret-token', CONTEXT);
    expect(() => createTokenCipher(randomBytes(32)).decrypt(envelope, CONTEXT)).toThrow(/authentication failed/);
  });

  it('fails when the ciphertext is moved to another column or organization', () => {
    const envelope = cipher.encrypt('secret-token', CONTEXT);
    expect(() => cipher.decrypt(envelope, 'hubspot_connections.oauth_refresh_token_enc:org_2')).toThrow(TokenDecryptionError);
  });

  it('refuses unknown versions, malformed envelopes and keys of the wrong size', () => {
    expect(() => cipher.decrypt('v2:a:b:c', CONTEXT)).toThrow(/unknown envelope version "v2"/);
    expect(() => cipher.decrypt('plain-text-token', CONTEXT)).toThrow(TokenDecryptionError);
    expect(() => cipher.decrypt('v1:abc', CONTEXT)).toThrow(/malformed/);
    expect(() => createTokenCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
