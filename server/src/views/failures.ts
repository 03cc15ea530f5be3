import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every way a browser flow of Connect can end badly, with the page the admin sees. docs/troubleshooting.md
 * explains each code; keep the two in step. None of these pages changes anything: they are shown instead.
 */
export const FAILURES = {
  sign_in_required: {
    status: 401,
    title: 'Sign in required',
    message: 'This page is for organization admins. Open a sign-in link to continue.',
    hint: 'Ask for a sign-in link with `npm run admin -- sign-in-link --email you@example.com` (`npm start` with the local sandbox prints one).',
  },
  link_invalid: {
    status: 400,
    title: 'This sign-in link is not valid',
    message: 'The link is incomplete or was never issued.',
    hint: 'Copy the whole link, or ask for a new one with `npm run admin -- sign-in-link`.',
  },
  link_expired: {
    status: 400,
    title: 'This sign-in link has expired',
    message: 'Sign-in links work for 15 minutes.',
    hint: 'Ask for a new one with `npm run admin -- sign-in-link`.',
  },
  link_used: {
    status: 400,
    title: 'This sign-in link was already used',
    message: 'Each sign-in link works once.',
    hint: 'If it was not you who used it, tell your OpenCX contact. Ask for a new link with `npm run admin -- sign-in-link`.',
  },
  csrf_failed: {
    status: 403,
    title: 'This form has expired',
    message: 'The form was not sent from this OpenCX page, or your session changed since it was shown.',
    hint: 'Go back to the settings page, reload it and try again.',
  },
  not_configured: {
    status: 503,
    title: 'HubSpot is not configured on this server',
    message: 'The HubSpot app credentials (HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, HUBSPOT_APP_ID) are not set.',
    hint: 'An operator has to set them and restart the server.',
  },
  consent_denied: {
    status: 403,
    title: 'HubSpot was not connected',
    message: 'The connection was cancelled on HubSpot’s consent screen. Nothing was changed.',
    hint: 'Click Connect with HubSpot again and approve the requested access.',
  },
  hubspot_authorize_error: {
    // The error arrives in the browser's query string: anyone can open that URL, and no call of ours failed.
    status: 400,
    title: 'HubSpot reported an error',
    message: 'HubSpot did not complete the authorization. Nothing was changed.',
    hint: 'Try again in a few minutes. If it keeps failing, check HubSpot’s status page.',
  },
  missing_code: {
    status: 400,
    title: 'Incomplete answer from HubSpot',
    message: 'The return address was opened without an authorization code. Nothing was changed.',
    hint: 'Start again from Settings → Integrations → HubSpot.',
  },
  state_invalid: {
    status: 400,
    title: 'This connection request is not valid',
    message: 'The request did not come from a Connect button of this OpenCX server (its state is missing parts or forged). Nothing was changed.',
    hint: 'Start again from Settings → Integrations → HubSpot.',
  },
  state_expired: {
    status: 400,
    title: 'This connection request has expired',
    message: 'More than 10 minutes passed between clicking Connect and approving in HubSpot. Nothing was changed.',
    hint: 'Click Connect with HubSpot again.',
  },
  state_used: {
    status: 400,
    title: 'This connection request was already used',
    message: 'Each click on Connect can complete once; this one already did (for example after going back in the browser). Nothing was changed.',
    hint: 'Open Settings → Integrations → HubSpot to see the current status.',
  },
  session_mismatch: {
    status: 403,
    title: 'Finish in the browser you started in',
    message: 'The connection was started by another sign-in session than this one. Nothing was changed.',
    hint: 'Sign in, then click Connect with HubSpot again in this browser.',
  },
  bad_code: {
    status: 400,
    title: 'HubSpot refused the authorization code',
    message: 'The code was used already, has expired or belongs to another app. Nothing was changed.',
    hint: 'Click Connect with HubSpot again.',
  },
  hubspot_unavailable: {
    status: 502,
    title: 'HubSpot did not answer',
    message: 'HubSpot failed while OpenCX exchanged or checked the tokens. Nothing was changed.',
    hint: 'Try again in a few minutes.',
  },
  portal_taken: {
    status: 409,
    title: 'This HubSpot portal belongs to another organization',
    message: 'The portal you approved is already connected to a different OpenCX organization. One portal serves one organization. Nothing was changed.',
    hint: 'Choose another portal on HubSpot’s consent screen, or ask OpenCX support to move the portal.',
  },
  too_many_attempts: {
    status: 429,
    title: 'Too many connection attempts',
    message: 'This server received more HubSpot connection attempts than it accepts in a minute. Nothing was changed.',
    hint: 'Wait a minute, then install the app from HubSpot again.',
  },
  pending_not_found: {
    status: 404,
    title: 'Nothing waiting to be confirmed',
    message: 'This pending HubSpot connection has expired, was already used, or belongs to another browser or organization.',
    hint: 'Connect again from Settings → Integrations → HubSpot.',
  },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string; message: string; hint: string }>;

export type FailureCode = keyof typeof FAILURES;
