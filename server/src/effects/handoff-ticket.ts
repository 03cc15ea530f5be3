import type { ChatMessage, ChatSession } from '@opencx/shared';
import type { HandoffSettings } from '../store/handoff-settings.store';
import type { SyncDeps } from '../sync/sync-deps';

const MAX_DESCRIPTION_CHARS = 60_000;
const ROLE_LABELS = { customer: 'Customer', ai: 'OpenCX AI', agent: 'Agent', system: 'System' } as const;

/** The ticket's description: the AI's summary of why it hands off, then the whole conversation, oldest first. */
export function ticketDescription(summary: string, history: readonly ChatMessage[]): string {
  const transcript = history.map((m) => `${ROLE_LABELS[m.role]} (${new Date(m.createdAt).toISOString()}): ${m.erasedAt !== null ? '(erased)' : m.text}`);
  const text = [`Summary: ${summary}`, '', 'Transcript:', ...(transcript.length > 0 ? transcript : ['(no messages)'])].join('\n');
  // Far under HubSpot's 65,536-character limit for a text property (docs/hubspot-contract.md §5.6), newest kept.
  return text.length > MAX_DESCRIPTION_CHARS ? `…${text.slice(-MAX_DESCRIPTION_CHARS)}` : text;
}

/** The settings' pipeline and stage, else the first stage of the portal's first ticket pipeline. */
async function pipelineStageOf(deps: SyncDeps, portalId: number, settings: HandoffSettings): Promise<{ pipelineId: string; stageId: string }> {
  if (settings.pipelineStage) return settings.pipelineStage;
  const first = (await deps.hubspot.listTicketPipelines(portalId)).find((p) => p.stages.length > 0);
  if (!first) throw new Error('the portal has no ticket pipeline with a stage');
  return { pipelineId: first.id, stageId: first.stages[0]!.id };
}

/** Creates the handoff ticket, associated with the contact; the caller records its id before anything else. */
export async function createHandoffTicket(
  deps: SyncDeps,
  input: { session: ChatSession; settings: HandoffSettings; contactId: string | null; summary: string; history: readonly ChatMessage[]; subject: string },
): Promise<string> {
  const { pipelineId, stageId } = await pipelineStageOf(deps, input.session.portalId, input.settings);
  return deps.hubspot.createTicket(input.session.portalId, {
    contactId: input.contactId,
    properties: {
      subject: input.subject,
      content: ticketDescription(input.summary, input.history),
      hs_pipeline: pipelineId,
      hs_pipeline_stage: stageId,
    },
  });
}
