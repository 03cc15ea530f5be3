import { randomUUID } from 'node:crypto';
import { CARD_TEXT, type Actor, type AiCommand, type CardCommand, type CardCommandResult } from '@opencx/shared';
import { applyAiCommand } from '../ai-control/apply-command';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { withTimeout } from '../timeout';
import type { CardIdentity } from './card-identity';
import { readCardStatus, toAiStateView } from './card-status';

export type CardCommandDeps = Pick<AppDeps, 'store' | 'clock' | 'hubspot' | 'logger'>;

/** The agent's name is a nicety for the card's sentence; the command must not wait long for it. */
const NAME_LOOKUP_TIMEOUT_MS = 1_500;

/**
 * Applies the agent's button press to the ticket's conversation, as the agent (source `card`), and answers
 * with the outcome and the new status. A ticket without a conversation (or a portal not connected) changes
 * nothing and answers `ignored` with that view, so the card simply shows it.
 */
export async function applyCardCommand(
  deps: CardCommandDeps,
  identity: CardIdentity,
  command: CardCommand,
): Promise<CardCommandResult> {
  if (identity.userId === null) throw new AppError('validation_failed', 'userId is required');
  const { status, connection } = await readCardStatus(deps.store, identity.portalId, identity.ticketId);
  if (status.view !== 'status') return { outcome: 'ignored', status };
  if (connection?.authMode !== 'oauth') {
    throw new AppError('not_oauth', 'This HubSpot account is connected through a legacy Private App; reconnect it through OAuth');
  }
  const by: Actor = {
    kind: 'hubspot_user',
    id: String(identity.userId),
    name: await agentName(deps, identity.portalId, identity.userId, identity.userEmail),
  };
  const decision = await applyAiCommand(deps, status.sessionId, aiCommandFor(command, by), deps.clock.now());
  return { outcome: decision.outcome, status: { ...status, ai: toAiStateView(decision.control.state) } };
}

function aiCommandFor(command: CardCommand, by: Actor): AiCommand {
  const reason = command.reason?.trim() || null;
  switch (command.action) {
    case 'pause':
      return { type: 'pause', source: 'card', by, reason, until: null };
    case 'resume':
      return { type: 'resume', by };
    case 'request_handoff':
      // Every press is a new request: the id only guards against a loop re-raising the same one.
      return { type: 'requestHandoff', by, reason: reason ?? CARD_TEXT.handoffReasonFromCard, requestId: `card-${randomUUID()}` };
    default: {
      const exhaustive: never = command.action;
      throw new Error(`unknown card action ${String(exhaustive)}`);
    }
  }
}

/** "Jane Agent" from HubSpot's owner record; the signed e-mail if HubSpot is slow or fails; else null. */
async function agentName(deps: CardCommandDeps, portalId: number, userId: number, userEmail: string | null) {
  try {
    const lookup = deps.hubspot.withRetryPolicy({ attempts: 1 }).getOwnerByUserId(portalId, userId);
    const owner = await withTimeout(lookup, NAME_LOOKUP_TIMEOUT_MS, () => null);
    const name = owner ? [owner.firstName, owner.lastName].filter(Boolean).join(' ').trim() || owner.email : undefined;
    return name || userEmail;
  } catch (err) {
    deps.logger.info({ err, portalId }, 'card: could not look up the agent name');
    return userEmail;
  }
}
