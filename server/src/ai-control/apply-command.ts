import { decide, initialAiControl, type AiCommand, type AiControl, type AiEffect, type Decision, type Timestamp } from '@opencx/shared';
import { AppError } from '../errors';
import type { Store } from '../store/store';

export interface ApplyAiCommandDeps {
  store: Store;
}

export interface ApplyAiCommandOptions {
  /**
   * Effects the caller performs itself instead of the outbox worker: Send to OpenCX AI runs the AI and reports
   * the reply to HubSpot's callback, so its `askAiToReply` must not also run from the outbox (two replies).
   * They are still part of the returned decision.
   */
  performedByCaller?: readonly AiEffect['type'][];
}

/** A conflict means another writer won the race; deciding again on the fresh state is always correct. */
const MAX_ATTEMPTS = 3;

/**
 * The shell around `decide`: in one transaction, load the session's AI control (the initial one if it has
 * none), decide, save it with an optimistic version check, append the audit events and enqueue the effects.
 * Effects are only enqueued here — a worker performs them after the commit, so HubSpot being down can never
 * lose or half-apply a decision. Pass a `tx` store as `deps.store` to join a caller's transaction.
 */
export async function applyAiCommand(
  deps: ApplyAiCommandDeps,
  sessionId: string,
  command: AiCommand,
  now: Timestamp,
  options: ApplyAiCommandOptions = {},
): Promise<Decision> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deps.store.transaction((tx) => decideAndRecord(tx, sessionId, command, now, options));
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'version_conflict') || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

async function decideAndRecord(
  tx: Store,
  sessionId: string,
  command: AiCommand,
  now: Timestamp,
  { performedByCaller = [] }: ApplyAiCommandOptions,
): Promise<Decision> {
  const session = await tx.sessions.get(sessionId);
  if (!session) throw new AppError('not_found', `Unknown session ${sessionId}`);

  const stored = await tx.aiControl.load(sessionId);
  const current = stored?.control ?? initialAiControl();
  const decision = decide(current, command, now);

  // No-op decisions (already_paused, not_due…) write no state, so a replayed command leaves only its audit trail.
  if (changed(current, decision.control)) {
    await tx.aiControl.save(sessionId, decision.control, stored?.version ?? null, now);
  }
  await tx.aiControl.appendEvents(sessionId, decision.events);
  await tx.outbox.enqueue(
    decision.effects
      .filter((effect) => !performedByCaller.includes(effect.type))
      .map((effect) => ({ sessionId, portalId: session.portalId, effect })),
    now,
  );
  return decision;
}

function changed(before: AiControl, after: AiControl): boolean {
  return before !== after && JSON.stringify(before) !== JSON.stringify(after);
}
