import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config';
import { cookieOptions, isSecureOrigin } from './admin-session';
import { looksLikeSecretToken } from './secret-token';

/** One-shot messages shown after a redirect (the "HubSpot connected" toast). Only these keys are ever shown. */
export const TOASTS = {
  connected: 'HubSpot connected',
  private_app_saved: 'Private App token saved: HubSpot connected (legacy)',
  rolled_back: 'Switched back to the Private App token',
  disconnected: 'HubSpot disconnected',
  disconnected_unrevoked:
    'HubSpot disconnected. OpenCX could not reach HubSpot to revoke its access: uninstall the OpenCX app in HubSpot to be sure.',
  preferences_saved: 'Settings saved',
  portal_change_cancelled: 'Nothing changed: the organization stays on its current portal',
  ai_user_saved: 'AI sender saved',
  webhook_url_rotated: 'New webhook URL: paste it into your Private App (the old one no longer works)',
  opencx_key_saved: 'OpenCX API key saved: the OpenCX AI answers this organization\'s customers',
  opencx_key_removed: 'OpenCX API key removed',
  handoff_saved: 'Handoff settings saved',
} as const;
export type ToastKey = keyof typeof TOASTS;

const FLASH = 'opencx_flash';
const CLAIM = 'opencx_install_claim';

type Cfg = Pick<Config, 'publicBaseUrl'>;

export function setToast(c: Context, config: Cfg, key: ToastKey): void {
  setCookie(c, FLASH, key, cookieOptions(config, 60_000));
}

/** Reads and clears the toast: it shows once. Unknown values (a hand-made cookie) show nothing. */
export function takeToast(c: Context, config: Cfg): ToastKey | null {
  const value = getCookie(c, FLASH);
  if (value === undefined) return null;
  deleteCookie(c, FLASH, { path: '/', secure: isSecureOrigin(config) });
  return value in TOASTS ? (value as ToastKey) : null;
}

/** The browser that finished a marketplace install holds this claim until an admin attaches the install. */
export function setInstallClaim(c: Context, config: Cfg, claimToken: string, maxAgeMs: number): void {
  setCookie(c, CLAIM, claimToken, cookieOptions(config, maxAgeMs));
}

export function getInstallClaim(c: Context): string | undefined {
  const value = getCookie(c, CLAIM);
  return looksLikeSecretToken(value) ? value : undefined;
}

export function clearInstallClaim(c: Context, config: Cfg): void {
  deleteCookie(c, CLAIM, { path: '/', secure: isSecureOrigin(config) });
}
