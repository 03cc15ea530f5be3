import type { OpenCxKeyRecord } from '../../store/opencx-keys.store';
import type { OpenCxSessionLink } from '../../store/opencx-sessions.store';
import { OpenCxApiError } from './errors';
import { withOpenCxKey, type OpenCxDeps } from './with-key';

export type HookOutcome =
  | { kind: 'sent'; handedOff: boolean }
  | { kind: 'closed' }
  /** Nothing to do: the organization has no key, OpenCX never saw the conversation, or its session is closed/gone. */
  | { kind: 'skipped'; reason: 'no_opencx_session' | 'no_key' | 'closed' | 'opencx_session_gone' };

/** The conversation's open OpenCX session and its organization's key, or why a hook has nothing to do. */
async function openLinkOf(deps: OpenCxDeps, sessionId: string): Promise<{ link: OpenCxSessionLink; key: OpenCxKeyRecord } | { skipped: HookOutcome }> {
  const link = await deps.store.opencxSessions.get(sessionId);
  if (!link) return { skipped: { kind: 'skipped', reason: 'no_opencx_session' } };
  if (link.closedAt !== null) return { skipped: { kind: 'skipped', reason: 'closed' } };
  const key = await deps.store.opencxKeys.get(link.organizationId);
  return key ? { link, key } : { skipped: { kind: 'skipped', reason: 'no_key' } };
}

/** HubSpot actor ids of users read `A-<userId>`; OpenCX wants the agent id as a number (docs/opencx-api.md §3). */
export function agentIdOf(hubspotUserId: string | number | null): number {
  const digits = String(hubspotUserId ?? '').replace(/^A-/, '');
  // ASSUMPTION: 0 for an agent HubSpot names without a numeric id; OpenCX documents no "unknown agent" value.
  return /^\d+$/.test(digits) && Number.isSafeInteger(Number(digits)) ? Number(digits) : 0;
}

/**
 * Sends a HubSpot agent's reply to the conversation's OpenCX session as an agent message, so OpenCX's transcript
 * stays whole. `takeOver` (the agent took the conversation from the AI) sets `should_take_over_session_from_ai`;
 * afterwards the AI, asked again after a Resume, starts a new OpenCX session. Transient failures throw
 * (OpenCxApiError, `transient`): call again later; a message is sent at most once per successful call.
 */
export async function forwardAgentMessage(
  deps: OpenCxDeps,
  input: { sessionId: string; text: string; agent: { hubspotUserId: string | number | null; name: string }; takeOver: boolean; signal?: AbortSignal },
): Promise<HookOutcome> {
  const found = await openLinkOf(deps, input.sessionId);
  if ('skipped' in found) return found.skipped;
  const { link, key } = found;
  const text = input.text.trim();
  if (text === '') return { kind: 'sent', handedOff: link.handedOffAt !== null };
  return withOpenCxKey(deps, key, async (apiKey) => {
    try {
      const result = await deps.opencx.sendMessage(
        apiKey,
        link.opencxSessionId,
        {
          sender: 'agent',
          message: { type: 'text', text },
          agent: { id: agentIdOf(input.agent.hubspotUserId), name: input.agent.name },
          ...(input.takeOver ? { should_take_over_session_from_ai: true } : {}),
        },
        input.signal,
      );
      const handedOff = input.takeOver || result.handedOff;
      if (handedOff) await deps.store.opencxSessions.markHandedOff(input.sessionId, deps.clock.now());
      return { kind: 'sent', handedOff };
    } catch (error) {
      if (error instanceof OpenCxApiError && error.failure === 'session_not_found') return { kind: 'skipped', reason: 'opencx_session_gone' };
      throw error;
    }
  });
}

/**
 * Closes the conversation's OpenCX session when its HubSpot thread closes (`PATCH /chat/sessions/{id}`,
 * docs/opencx-api.md §5). Idempotent: a closed or unknown session is skipped; a session OpenCX no longer knows
 * counts as closed.
 */
export async function closeOpenCxSession(
  deps: OpenCxDeps,
  input: { sessionId: string; status?: 'closed_resolved' | 'closed_unresolved'; signal?: AbortSignal },
): Promise<HookOutcome> {
  const found = await openLinkOf(deps, input.sessionId);
  if ('skipped' in found) return found.skipped;
  const { link, key } = found;
  return withOpenCxKey(deps, key, async (apiKey) => {
    try {
      await deps.opencx.updateSession(apiKey, link.opencxSessionId, { status: input.status ?? 'closed_resolved' }, input.signal);
    } catch (error) {
      if (!(error instanceof OpenCxApiError) || error.failure !== 'session_not_found') throw error;
    }
    await deps.store.opencxSessions.markClosed(input.sessionId, deps.clock.now());
    return { kind: 'closed' };
  });
}
