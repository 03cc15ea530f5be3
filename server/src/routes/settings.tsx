import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { loadAdminSession, type AdminContext, type AdminEnv } from '../admin/admin-session';
import { clearInstallClaim, getInstallClaim, setToast, takeToast } from '../admin/cookies';
import { requireAdmin, requireAdminForm } from '../admin/guards';
import { disconnectOrganization } from '../connect/disconnect';
import { attachMarketplaceInstall, cancelPortalChange, confirmPortalChange, listClaimedInstalls } from '../connect/pending';
import { chooseAiUser, listAiUserChoices } from '../connect/ai-user';
import { listHandoffChoices, saveHandoffSettings } from '../connect/handoff-settings';
import { connectPrivateApp, legacyWebhookUrlOf, rollBackToPrivateApp } from '../connect/private-app';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { SETTINGS_PATH } from '../views/error-page';
import { sendSettingsPage } from '../views/pages';
import { HANDOFF_MESSAGE_MAX_LENGTH, SIGNATURE_MAX_LENGTH } from '../views/preferences-form';
import { respondToBind } from './oauth';
import { addActivityRoutes } from './activity';
import { addDeadLetterRoutes } from './dead-letters';
import { readForm } from '../http/parse-body';

const HUBSPOT = '/integrations/hubspot';

const preferencesForm = z.object({
  signatureEnabled: z.literal('on').optional(),
  signatureText: z.string().max(SIGNATURE_MAX_LENGTH, { error: `The signature may have at most ${SIGNATURE_MAX_LENGTH} characters` }).default(''),
  unassignPolicy: z.enum(['stay_paused', 'resume'], { error: 'Choose what unassigning an agent does' }),
  handoffMessage: z.string().max(HANDOFF_MESSAGE_MAX_LENGTH, { error: `The handoff message may have at most ${HANDOFF_MESSAGE_MAX_LENGTH} characters` }).optional(),
});

// A key is one opaque token: OpenCX shows it once, so a paste with spaces or line breaks is a copy mistake.
const opencxKeyForm = z.object({
  apiKey: z
    .string({ error: 'Paste the OpenCX API key' })
    .trim()
    .min(8, { error: 'Paste the whole OpenCX API key (it is at least 8 characters long)' })
    .max(512, { error: 'That is not an OpenCX API key (too long)' })
    .regex(/^[\x21-\x7e]+$/, { error: 'An OpenCX API key has no spaces or line breaks: paste it again' }),
});

/** Errors an admin can fix on the page itself: shown there, with the status they carry. */
const SHOWN_ON_PAGE = new Set(['validation_failed', 'conflict', 'upstream_failed', 'not_found']);

/**
 * Mounted at /settings. Settings → Integrations → HubSpot for the signed-in organization admin: the integration
 * card, the connect modal (OAuth or legacy Private App), rollback, disconnect, and the organization's HubSpot
 * settings. Every POST is CSRF-checked and acts on the admin's own organization only.
 */
export function settingsRoutes(deps: AppDeps) {
  const routes = new Hono<AdminEnv>();
  routes.use(loadAdminSession(deps));
  routes.get(HUBSPOT, requireAdmin(), async (c) => renderSettings(c, deps, {}));
  addDeadLetterRoutes(routes, deps);
  addActivityRoutes(routes, deps);

  const post = (path: string, handle: (c: Context<AdminEnv>, context: AdminContext, form: Record<string, unknown>) => Promise<Response>, inModal = false) =>
    routes.post(`${HUBSPOT}${path}`, requireAdminForm(deps), async (c) => {
      const context = c.var.adminContext!;
      try {
        return await handle(c, context, await readForm(c.req));
      } catch (error) {
        if (error instanceof AppError && SHOWN_ON_PAGE.has(error.code)) {
          c.var.logger.info({ errorCode: error.code, path: c.req.path }, error.message);
          return renderSettings(c, deps, inModal ? { modalError: error.message } : { pageError: error.message }, error.status as 400 | 409 | 502);
        }
        throw error;
      }
    });

  post(
    '/private-app',
    async (c, context, form) => {
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const outcome = await connectPrivateApp(deps, context, { token: text('token'), defaultUserId: text('defaultUserId'), clientSecret: text('clientSecret') });
      return respondToBind(c, deps, outcome);
    },
    true,
  );

  post(
    '/rollback',
    async (c, context) => {
      await rollBackToPrivateApp(deps, context);
      setToast(c, deps.config, 'rolled_back');
      return c.redirect(SETTINGS_PATH, 303);
    },
    true,
  );

  post('/ai-user', async (c, context, form) => {
    await chooseAiUser(deps, context, form['userId']);
    setToast(c, deps.config, 'ai_user_saved');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/handoff', async (c, context, form) => {
    await saveHandoffSettings(deps, context, form);
    setToast(c, deps.config, 'handoff_saved');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/legacy-webhook/rotate', async (c, context) => {
    await deps.store.legacyWebhooks.rotate(context.organization.id, deps.clock.now());
    setToast(c, deps.config, 'webhook_url_rotated');
    return c.redirect(SETTINGS_PATH, 303);
  }, true);

  post('/disconnect', async (c, context) => {
    const { revoked } = await disconnectOrganization(deps, context);
    setToast(c, deps.config, revoked === false ? 'disconnected_unrevoked' : 'disconnected');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/preferences', async (c, context, form) => {
    const parsed = preferencesForm.safeParse(form);
    if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join('; '));
    const now = deps.clock.now();
    await deps.store.transaction(async (tx) => {
      await tx.signatures.save({ organizationId: context.organization.id, enabled: parsed.data.signatureEnabled === 'on', text: parsed.data.signatureText.trim(), updatedAt: now });
      await tx.organizations.updateSettings(context.organization.id, { unassignPolicy: parsed.data.unassignPolicy });
      // A form without the field (an older page) leaves the message as it was.
      if (parsed.data.handoffMessage !== undefined) await tx.organizations.setHandoffMessage(context.organization.id, parsed.data.handoffMessage.trim());
    });
    setToast(c, deps.config, 'preferences_saved');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/opencx-key', async (c, context, form) => {
    const parsed = opencxKeyForm.safeParse(form);
    if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join('; '));
    await deps.store.opencxKeys.save(context.organization.id, parsed.data.apiKey, deps.clock.now());
    c.var.logger.info({ organizationId: context.organization.id }, 'OpenCX API key saved');
    setToast(c, deps.config, 'opencx_key_saved');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/opencx-key/remove', async (c, context) => {
    await deps.store.opencxKeys.remove(context.organization.id);
    setToast(c, deps.config, 'opencx_key_removed');
    return c.redirect(SETTINGS_PATH, 303);
  });

  post('/pending/:id/attach', async (c, context) => {
    const outcome = await attachMarketplaceInstall(deps, context, c.req.param('id') ?? '', getInstallClaim(c));
    const claim = getInstallClaim(c);
    if (claim && (await listClaimedInstalls(deps, claim)).length === 0) clearInstallClaim(c, deps.config);
    return respondToBind(c, deps, outcome);
  });

  post('/portal-change/:id/confirm', async (c, context) => respondToBind(c, deps, await confirmPortalChange(deps, context, c.req.param('id') ?? '')));

  post('/portal-change/:id/cancel', async (c, context) => {
    await cancelPortalChange(deps, context, c.req.param('id') ?? '');
    setToast(c, deps.config, 'portal_change_cancelled');
    return c.redirect(SETTINGS_PATH, 303);
  });

  return routes;
}

async function renderSettings(
  c: Context<AdminEnv>,
  deps: AppDeps,
  errors: { modalError?: string; pageError?: string },
  status: 200 | 400 | 409 | 502 = 200,
) {
  const context = c.var.adminContext!;
  const organizationId = context.organization.id;
  // Re-read: a form may just have changed the organization's settings.
  const organization = (await deps.store.organizations.get(organizationId)) ?? context.organization;
  const [connection, credentials, signature, pendingInstalls, opencxKey, legacyWebhook, handoffSettings] = await Promise.all([
    deps.store.connections.findByOrganization(organizationId),
    deps.store.connections.credentialsOf(organizationId),
    deps.store.signatures.get(organizationId),
    listClaimedInstalls(deps, getInstallClaim(c)),
    deps.store.opencxKeys.get(organizationId),
    // Shown before any token is pasted: the Private App must be created with its webhook URL.
    context.organization.oauthOnly ? null : deps.store.legacyWebhooks.getOrCreate(organizationId, deps.clock.now()),
    deps.store.handoffSettings.get(organizationId),
  ]);
  const live = connection && connection.status !== 'disconnected' ? connection : null;
  const [aiUserChoices, handoffChoices, problems] = await Promise.all([
    live ? listAiUserChoices(deps, live.portalId) : null,
    live ? listHandoffChoices(deps, live.portalId) : null,
    deps.store.problems.listRecent(organizationId, connection?.portalId ?? null, 10),
  ]);
  return sendSettingsPage(
    c,
    {
      adminEmail: context.admin.email,
      organization,
      csrfToken: context.csrfToken,
      connection,
      credentials,
      signature,
      // Only what the page shows: the key itself never reaches the view.
      opencxKey: opencxKey ? { keyEnding: opencxKey.keyEnding, updatedAt: opencxKey.updatedAt, lastError: opencxKey.lastError } : null,
      aiFallback: deps.config.opencxAiUrl ? 'service' : 'faq',
      pendingInstalls,
      legacyWebhook: legacyWebhook ? { url: legacyWebhookUrlOf(deps, legacyWebhook.secret), signatureChecked: legacyWebhook.clientSecret !== null } : null,
      aiUserChoices,
      handoff: { settings: handoffSettings, choices: handoffChoices },
      problems,
      oauthAvailable: deps.oauth !== null && deps.config.hubspot !== null,
      toast: status === 200 ? takeToast(c, deps.config) : null,
      modalError: errors.modalError ?? null,
      pageError: errors.pageError ?? null,
    },
    status,
  );
}
