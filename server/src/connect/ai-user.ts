// The AI sender: the HubSpot teammate the AI posts as. Picked by an admin from the portal's users after an OAuth
// connect (or given as the legacy form's Default User ID); until then the AI does not post (see the reply path).
import type { AiUser } from '@opencx/shared';
import type { AdminContext } from '../admin/admin-session';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { HubSpotApiError, type Owner } from '../hubspot';

type Deps = Pick<AppDeps, 'store' | 'hubspot' | 'clock' | 'logger'>;

export interface AiUserChoice {
  hubspotUserId: number;
  label: string;
}

const nameOf = (o: Pick<Owner, 'firstName' | 'lastName'>) => [o.firstName, o.lastName].filter(Boolean).join(' ') || null;

/** The portal's users who can post (owners with a user id), for the picker; null when HubSpot could not be asked. */
export async function listAiUserChoices(deps: Deps, portalId: number): Promise<AiUserChoice[] | null> {
  try {
    const owners = await deps.hubspot.listOwners(portalId);
    return owners
      .filter((o): o is Owner & { userId: number } => typeof o.userId === 'number' && !o.archived)
      .map((o) => ({ hubspotUserId: o.userId, label: [nameOf(o), o.email].filter(Boolean).join(' · ') || `User ${o.userId}` }));
  } catch (error) {
    deps.logger.warn({ err: error, portalId }, 'could not list the portal\'s users for the AI sender picker');
    return null;
  }
}

/** Sets the organization's AI sender to a user of its connected portal, checked with HubSpot first. */
export async function chooseAiUser(deps: Deps, context: AdminContext, rawUserId: unknown): Promise<AiUser> {
  const userId = Number(rawUserId);
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new AppError('validation_failed', 'Choose the HubSpot user the AI posts as');
  const connection = await deps.store.connections.findByOrganization(context.organization.id);
  if (!connection || connection.status === 'disconnected') throw new AppError('conflict', 'Connect HubSpot before choosing the AI sender');
  let owner: Owner;
  try {
    owner = await deps.hubspot.getOwnerByUserId(connection.portalId, userId);
  } catch (error) {
    if (error instanceof HubSpotApiError && error.kind === 'not_found') {
      throw new AppError('validation_failed', `HubSpot portal ${connection.portalId} has no active user ${userId}`);
    }
    throw new AppError('upstream_failed', 'HubSpot did not answer while checking the user; try again in a few minutes', { cause: error });
  }
  const aiUser: AiUser = { hubspotUserId: userId, name: nameOf(owner), email: owner.email ?? null };
  await deps.store.connections.setAiUser(context.organization.id, aiUser, deps.clock.now());
  deps.logger.info({ organizationId: context.organization.id, portalId: connection.portalId, aiUserId: userId }, 'AI sender chosen');
  return aiUser;
}
