/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { OpenCxKeyError } from '../store/opencx-keys.store';
import { CsrfField, formatTime } from './parts';

/** What the page may know of the key: never the key itself. */
export interface OpenCxKeyView {
  keyEnding: string;
  updatedAt: number;
  lastError: OpenCxKeyError | null;
}

export const OPENCX_KEY_PATH = '/settings/integrations/hubspot/opencx-key';

/**
 * The organization's OpenCX API key: with one, the OpenCX AI answers its customers through the OpenCX API. The
 * field is a password field that is never filled back; the page shows only the key's last four characters.
 */
export const OpenCxKeyForm: FC<{ apiKey: OpenCxKeyView | null; fallback: 'faq' | 'service'; csrfToken: string }> = ({ apiKey, fallback, csrfToken }) => (
  <section class="card" aria-labelledby="opencx-key-title" data-testid="opencx-key" data-key-set={apiKey ? 'yes' : 'no'}>
    <h2 id="opencx-key-title">OpenCX API key</h2>
    {apiKey ? (
      <p data-testid="opencx-key-status">
        Set, ending in <strong>…{apiKey.keyEnding}</strong> (saved {formatTime(apiKey.updatedAt)}). The OpenCX AI answers this organization's customers.
      </p>
    ) : (
      <p data-testid="opencx-key-status">
        No key: {fallback === 'faq' ? 'the embedded FAQ agent answers customers' : 'the AI service configured for this server answers customers'}. Create a
        key in OpenCX (Settings → Access → Create API Key) and paste it here.
      </p>
    )}
    {apiKey?.lastError ? (
      <div class="error" role="alert" data-testid="opencx-key-error" data-code={apiKey.lastError.code}>
        OpenCX refused a request on {formatTime(apiKey.lastError.at)}: {apiKey.lastError.message}
      </div>
    ) : null}
    <form method="post" action={OPENCX_KEY_PATH}>
      <CsrfField token={csrfToken} />
      <label for="opencx-api-key">{apiKey ? 'Replace the key' : 'API key'}</label>
      <input id="opencx-api-key" type="password" name="apiKey" autocomplete="off" spellcheck={false} required data-testid="opencx-key-input" />
      <p>
        <button type="submit" data-testid="save-opencx-key">
          Save key
        </button>
      </p>
    </form>
    {apiKey ? (
      <form method="post" action={`${OPENCX_KEY_PATH}/remove`}>
        <CsrfField token={csrfToken} />
        <button type="submit" class="secondary" data-testid="remove-opencx-key">
          Remove key
        </button>
      </form>
    ) : null}
  </section>
);
