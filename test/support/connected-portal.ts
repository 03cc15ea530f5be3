import type { Organization } from '@opencx/shared';
import type { Stack } from './stack';
import { chooseDedicatedAiSender } from './ai-sender';

export interface ConnectedPortal {
  organization: Organization;
  portalId: number;
  accessToken: string;
}

/**
 * Connects a sandbox portal to a new organization over OAuth without the browser round trip: for tests whose
 * subject is not the Connect flow itself (that flow has its own end-to-end and browser tests). The tokens are
 * real sandbox tokens, exchanged and stored exactly as the callback stores them.
 */
export async function connectPortalOverOAuth(
  stack: Stack,
  input: { portalId?: number; organization?: Partial<Organization>; userId?: number; aiUserId?: number } = {},
): Promise<ConnectedPortal> {
  const { deps } = stack.server;
  const portal = input.portalId
    ? stack.sandbox.state.portals[String(input.portalId)]
    : Object.values(stack.sandbox.state.portals)[0];
  if (!portal) throw new Error(`no sandbox portal ${input.portalId ?? '(any)'}`);
  const users = Object.values(portal.users);
  const user = users.find((u) => input.userId === undefined || u.userId === input.userId) ?? users[0];
  const tokens = stack.sandbox.control.installApp({ portalId: portal.portalId, userId: user?.userId });
  if (!deps.oauth) throw new Error('the stack has no HubSpot OAuth client');
  const info = await deps.oauth.getAccessTokenInfo(tokens.accessToken);
  const now = deps.clock.now();
  const organization: Organization = {
    id: `org_${portal.portalId}`,
    name: `Org of portal ${portal.portalId}`,
    oauthOnly: false,
    unassignPolicy: 'stay_paused',
    createdAt: now,
    ...input.organization,
  };
  await deps.store.organizations.create(organization);
  await deps.store.connections.saveOAuthConnection(
    {
      organizationId: organization.id,
      portalId: info.hubId,
      connectedBy: { hubspotUserId: info.userId ?? null, email: info.userEmail ?? null },
      scopes: info.scopes,
      hubDomain: info.hubDomain ?? null,
      tokens: {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: now + tokens.expiresIn * 1000,
      },
    },
    now,
  );
  await chooseDedicatedAiSender(deps.store, stack.sandbox, organization.id, info.hubId, now, input.aiUserId);
  return { organization, portalId: info.hubId, accessToken: tokens.accessToken };
}
