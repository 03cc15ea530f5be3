// Connects sandbox portals by writing the organization and its OAuth connection straight into a store, before a
// server process starts on it (the state the Connect flow leaves behind; that flow has its own tests).
import type { Organization, UnassignPolicy } from '@opencx/shared';
import type { Store } from '@opencx/server';
import type { Sandbox } from '../sandbox/index';
import { chooseDedicatedAiSender } from './ai-sender';

export interface DirectConnection {
  organization: Organization;
  portalId: number;
  /** The user the app was installed as (AI replies are sent as this user). */
  userId: number;
}

export async function connectPortalInStore(
  store: Store,
  sandbox: Sandbox,
  input: { portalId: number; userId?: number; unassignPolicy?: UnassignPolicy; now?: number },
): Promise<DirectConnection> {
  const portal = sandbox.state.portals[String(input.portalId)];
  const user = input.userId ?? Object.values(portal?.users ?? {})[0]?.userId;
  if (!portal || user === undefined) throw new Error(`no sandbox portal ${input.portalId} with a user`);
  const tokens = sandbox.control.installApp({ portalId: input.portalId, userId: user });
  const now = input.now ?? Date.now();
  const organization: Organization = {
    id: `org_${input.portalId}`,
    name: `Org of portal ${input.portalId}`,
    oauthOnly: false,
    unassignPolicy: input.unassignPolicy ?? 'stay_paused',
    createdAt: now,
  };
  await store.organizations.create(organization);
  await store.connections.saveOAuthConnection(
    {
      organizationId: organization.id,
      portalId: input.portalId,
      connectedBy: { hubspotUserId: user, email: null },
      scopes: [],
      hubDomain: null,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: now + tokens.expiresIn * 1000 },
    },
    now,
  );
  await chooseDedicatedAiSender(store, sandbox, organization.id, input.portalId, now);
  return { organization, portalId: input.portalId, userId: user };
}
