import { z } from 'zod';
import type { AdminContext } from '../admin/admin-session';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { TicketPipeline } from '../hubspot';
import type { HandoffSettings } from '../store/handoff-settings.store';

type Deps = Pick<AppDeps, 'hubspot' | 'logger' | 'store' | 'clock'>;

export interface HandoffChoices {
  owners: { id: string; label: string }[];
  pipelines: TicketPipeline[];
}

/** The portal's owners and ticket pipelines for the handoff form; null when HubSpot could not be asked. */
export async function listHandoffChoices(deps: Deps, portalId: number): Promise<HandoffChoices | null> {
  try {
    const [owners, pipelines] = await Promise.all([deps.hubspot.listOwners(portalId), deps.hubspot.listTicketPipelines(portalId)]);
    return {
      owners: owners.filter((o) => !o.archived).map((o) => ({ id: o.id, label: [[o.firstName, o.lastName].filter(Boolean).join(' '), o.email].filter(Boolean).join(' · ') || `Owner ${o.id}` })),
      pipelines,
    };
  } catch (error) {
    deps.logger.warn({ err: error, portalId }, 'could not list the portal\'s owners and ticket pipelines for the handoff settings');
    return null;
  }
}

export const handoffForm = z.object({
  createTicket: z.literal('on').optional(),
  defaultOwnerId: z.union([z.literal(''), z.string().regex(/^\d{1,20}$/, { error: 'Choose an owner from the list' })]).default(''),
  pipelineStage: z.union([z.literal(''), z.string().regex(/^[^:\s]{1,64}:[^:\s]{1,64}$/, { error: 'Choose a pipeline stage from the list' })]).default(''),
});

/**
 * Saves the handoff settings of the admin's organization. The owner and the stage must be ones the connected
 * portal has (checked with HubSpot), so that a handoff never writes an id HubSpot refuses.
 */
export async function saveHandoffSettings(deps: Deps, context: AdminContext, form: Record<string, unknown>): Promise<void> {
  const parsed = handoffForm.safeParse(form);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => i.message).join('; '));
  const [pipelineId, stageId] = parsed.data.pipelineStage === '' ? [] : parsed.data.pipelineStage.split(':');
  const settings: HandoffSettings = {
    createTicket: parsed.data.createTicket === 'on',
    defaultOwnerId: parsed.data.defaultOwnerId || null,
    pipelineStage: pipelineId && stageId ? { pipelineId, stageId } : null,
  };
  if (settings.defaultOwnerId !== null || settings.pipelineStage !== null) {
    const connection = await deps.store.connections.findByOrganization(context.organization.id);
    if (!connection || connection.status === 'disconnected') throw new AppError('conflict', 'Connect HubSpot before choosing an owner or a pipeline');
    const choices = await listHandoffChoices(deps, connection.portalId);
    if (!choices) throw new AppError('upstream_failed', 'HubSpot did not answer with the portal\'s owners and pipelines; try again');
    if (settings.defaultOwnerId !== null && !choices.owners.some((o) => o.id === settings.defaultOwnerId)) {
      throw new AppError('validation_failed', 'That owner is not a user of the connected HubSpot portal');
    }
    const stage = settings.pipelineStage;
    if (stage && !choices.pipelines.some((p) => p.id === stage.pipelineId && p.stages.some((s) => s.id === stage.stageId))) {
      throw new AppError('validation_failed', 'That pipeline stage is not in the connected HubSpot portal');
    }
  }
  await deps.store.handoffSettings.save(context.organization.id, settings, deps.clock.now());
}
