import type { Actor } from '@opencx/shared';
import type { Owner } from '../hubspot';
import { withTimeout } from '../timeout';
import type { SyncDeps } from './sync-deps';

export const AI_ACTOR: Actor = { kind: 'ai', id: null, name: 'OpenCX AI' };

type NameDeps = Pick<SyncDeps, 'hubspot' | 'logger' | 'ownerNames'>;

/** How long the slow paths (the legacy owner check) wait for a name before going on without it. */
const NAME_BUDGET_MS = 1_000;
const NAME_TTL_MS = 10 * 60_000;
/** A failed lookup is not repeated for every event of a busy agent while HubSpot is struggling. */
const FAILED_NAME_TTL_MS = 30_000;

/** Owner and user names already looked up, and the lookups in flight. One per server (createServices). */
export interface OwnerNames {
  names: Map<string, { name: string | null; until: number }>;
  inFlight: Map<string, Promise<string | null>>;
}

export const createOwnerNames = (): OwnerNames => ({ names: new Map(), inFlight: new Map() });

const nameOf = (owner: Owner): string | null =>
  [owner.firstName, owner.lastName].filter(Boolean).join(' ').trim() || owner.email || null;

/**
 * A person's display name, for the card and the audit trail: `known` when cached (string, or null for a lookup
 * that failed), else `later`, the lookup in flight. Nothing here waits: a takeover must never wait for HubSpot
 * (under a 429 storm a name can take seconds, and the AI must be paused before the customer's next message).
 */
export interface ActorName {
  known: string | null | undefined;
  later: Promise<string | null> | null;
}

function nameFor(deps: NameDeps, key: string, lookUp: () => Promise<Owner>): ActorName {
  const { names, inFlight } = deps.ownerNames;
  const cached = names.get(key);
  if (cached && cached.until > Date.now()) return { known: cached.name, later: null };
  let pending = inFlight.get(key);
  if (!pending) {
    pending = lookUp().then(
      (owner) => {
        const name = nameOf(owner);
        names.set(key, { name, until: Date.now() + NAME_TTL_MS });
        return name;
      },
      (err: unknown) => {
        deps.logger.debug({ err, key }, 'could not resolve an owner name');
        names.set(key, { name: null, until: Date.now() + FAILED_NAME_TTL_MS });
        return null;
      },
    );
    inFlight.set(key, pending);
    void pending.finally(() => inFlight.delete(key));
  }
  return { known: undefined, later: pending };
}

/**
 * The name of a person an audit event names by id only (audit events keep the id; see nameActorLater), from this
 * server's cache alone: a page that shows the trail never waits for HubSpot. Null when not cached.
 */
export function cachedActorName(names: OwnerNames, portalId: number, actor: Actor): string | null {
  if (actor.name !== null || actor.id === null) return actor.name;
  const kind = actor.kind === 'hubspot_owner' ? 'owner' : actor.kind === 'hubspot_user' ? 'user' : null;
  return kind ? (names.names.get(`${kind}:${portalId}:${actor.id}`)?.name ?? null) : null;
}

/** A ticket owner (`hubspot_owner_id` holds the owner id), named from the cache; see nameActorLater. */
export function ownerActorNow(deps: NameDeps, portalId: number, ownerId: string): { actor: Actor; name: ActorName } {
  const name = nameFor(deps, `owner:${portalId}:${ownerId}`, () => deps.hubspot.getOwner(portalId, ownerId));
  return { actor: { kind: 'hubspot_owner', id: ownerId, name: name.known ?? null }, name };
}

/** A HubSpot user, from a conversation actor `A-<userId>`; `knownName` when HubSpot already said it. */
export function userActorNow(deps: NameDeps, portalId: number, userId: string, knownName?: string | null): { actor: Actor; name: ActorName } {
  if (knownName) return { actor: { kind: 'hubspot_user', id: userId, name: knownName }, name: { known: knownName, later: null } };
  const name = nameFor(deps, `user:${portalId}:${userId}`, () => deps.hubspot.getOwnerByUserId(portalId, userId));
  return { actor: { kind: 'hubspot_user', id: userId, name: name.known ?? null }, name };
}

/** For paths that call HubSpot anyway (the legacy owner check): the actor with its name, waited for a little. */
export async function withName(resolved: { actor: Actor; name: ActorName }): Promise<Actor> {
  if (!resolved.name.later) return resolved.actor;
  return { ...resolved.actor, name: (await withTimeout(resolved.name.later, NAME_BUDGET_MS, () => null)) ?? null };
}

/** `A-123` → `123`; null for other actor kinds (visitors `V-`, integrations `I-`, bots `L-`, system `S-`). */
export const userIdOfActor = (actorId: string | null | undefined): string | null => /^A-(\d+)$/.exec(actorId ?? '')?.[1] ?? null;

/**
 * Fills in the name of the person holding a pause once HubSpot told it, if they still hold it unnamed. Display
 * data only (the card shows it): no decision depends on a name, so this writes the state directly rather than
 * through `decide`, and adds no audit event (the pause's event keeps the actor's id).
 */
export function nameActorLater(deps: Pick<SyncDeps, 'store' | 'clock' | 'logger'>, sessionIds: readonly string[], resolved: { actor: Actor; name: ActorName }): void {
  const { actor, name } = resolved;
  if (!name.later || actor.name !== null) return;
  void name.later
    .then(async (found) => {
      if (!found) return;
      for (const sessionId of sessionIds) {
        await deps.store.transaction(async (tx) => {
          const stored = await tx.aiControl.load(sessionId);
          const state = stored?.control.state;
          if (!stored || state?.status !== 'paused' || state.by.kind !== actor.kind || state.by.id !== actor.id || state.by.name !== null) return;
          await tx.aiControl.save(sessionId, { ...stored.control, state: { ...state, by: { ...state.by, name: found } } }, stored.version, deps.clock.now());
        });
      }
    })
    .catch((err: unknown) => deps.logger.warn({ err, sessionIds }, 'could not record the name of the agent holding a pause'));
}
