// Secrets must never reach an error message or a log line. HubSpot error texts are copied into our errors, and a
// server could echo a token or code back, so every text from the wire passes through here first.

const REDACTED = '[redacted]';

// Shapes that are credentials whatever their source: bearer headers, private app tokens (pat-<region>-<uuid>).
const GENERIC_PATTERNS: readonly RegExp[] = [/Bearer\s+[^\s"',]+/gi, /\bpat-[a-z0-9]+-[0-9a-f-]{8,}/gi];

/** Replaces every known secret and every credential-shaped substring; very short values are ignored. */
export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings (e.g. "1") would shred ordinary text without protecting anything.
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of GENERIC_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Bounds a message from the wire: HubSpot sometimes embeds whole JSON documents in `message`. */
export function clipMessage(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
