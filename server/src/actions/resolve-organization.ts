import type { Store } from '../store/store';

export type OrganizationResolution =
  | { ok: true; organizationId: string }
  | { ok: false; errorCode: 'NOT_OAUTH' | 'NOT_CONNECTED' };

/**
 * The organization a workflow action acts for. Only a stored OAuth connection counts: the portal id in the body
 * names the portal (the signature proves HubSpot sent it), but only our connection row says which organization
 * owns that portal. Workflow actions are an OAuth-only feature, so a legacy Private App portal is refused.
 */
export async function resolveOAuthOrganization(
  store: Pick<Store, 'connections'>,
  portalId: number,
): Promise<OrganizationResolution> {
  const connection = await store.connections.findByPortal(portalId);
  if (!connection || connection.status === 'disconnected') return { ok: false, errorCode: 'NOT_CONNECTED' };
  if (connection.authMode !== 'oauth') return { ok: false, errorCode: 'NOT_OAUTH' };
  // reconnect_required: the grant is gone; the admin has to connect again before workflows can rely on us.
  if (connection.status !== 'connected') return { ok: false, errorCode: 'NOT_CONNECTED' };
  return { ok: true, organizationId: connection.organizationId };
}
