import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config';
import { AppError } from './errors';

export type Logger = PinoLogger;

export const REDACTED = '[REDACTED]';

/**
 * Keys whose values never reach a log line, at any depth: credentials in headers, OAuth material
 * (`code` is the authorization code), and anything named like a token or a secret — `accessToken`,
 * `refresh_token`, `privateAppToken`, `clientSecret`, `tokenEncryptionKey`... Matching by name, rather than
 * pino's fixed paths, also catches the nested shapes HubSpot client errors carry.
 */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|code|token|password|x-hubspot-signature(-v3)?)$|token$|tokens$|secret|encryption_?key|private_?app|api_?key/i;

/**
 * Credentials that hide inside free text (an error message quoting a header, a URL with a token): bearer tokens,
 * private app tokens, OpenCX API keys, and the query parameters of our URLs that carry one (sign-in links, OAuth callbacks).
 */
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\bBearer\s+[\w.~+/-]+=*/gi, REDACTED],
  [/\bpat-[a-z]{2,4}\d?-[0-9a-f-]{20,}/gi, REDACTED],
  // OpenCX API keys (`ocx_live_…`, docs/opencx-api.md §1), e.g. quoted back in an error message.
  [/\bocx_[a-z]+_[\w-]{4,}/gi, REDACTED],
  [/([?&](?:token|code|state|claim)=)[^&#\s"']+/gi, `$1${REDACTED}`],
];

const MAX_DEPTH = 8;

export function createLogger(options: { level: LogLevel }, destination?: DestinationStream): Logger {
  const root = pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      serializers: { err: serializeError },
      // The message itself is not seen by the formatters above.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskSecretText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return redactChildBindings(root, root.child as unknown as CreateChild);
}

/** pino serializes child bindings once, past the formatters above; redact them on the way in instead. */
type CreateChild = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => unknown;

function redactChildBindings(logger: Logger, createChild: CreateChild): Logger {
  const child: CreateChild = function (bindings, options) {
    return redactChildBindings(createChild.call(this, redactSecrets(bindings) as pino.Bindings, options) as Logger, createChild);
  };
  logger.child = child as unknown as Logger['child'];
  return logger;
}

/**
 * Errors are redacted like everything else, except that their own `code` survives when it is an error code
 * (ours, or Node's and SQLite's like `EADDRINUSE`, `SQLITE_BUSY`): those are what an operator searches for,
 * and an OAuth authorization code never looks like one.
 */
function serializeError(err: Error): unknown {
  const serialized = redactSecrets(pino.stdSerializers.err(err)) as Record<string, unknown>;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (err instanceof AppError || /^[A-Z][A-Z0-9_]{1,63}$/.test(code))) serialized.code = code;
  return serialized;
}

/** A copy of `value` with secret-named keys replaced and credential-looking text masked. */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  // Errors keep their prototype so pino's err serializer still recognises them; it redacts them itself.
  if (value instanceof Error) return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  if (value instanceof Headers) return redactSecrets(Object.fromEntries(value), depth, seen);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== null && inner !== undefined ? REDACTED : redactSecrets(inner, depth + 1, seen);
  }
  return out;
}

function maskSecretText(text: string): string {
  return SECRET_TEXT.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}

/** A logger that writes nowhere, for tests and tools that don't care about logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
