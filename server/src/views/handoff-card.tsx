/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import type { HandoffChoices } from '../connect/handoff-settings';
import type { HandoffSettings } from '../store/handoff-settings.store';
import { CsrfField } from './parts';

/** `pipelineId:stageId`, the value of one option of the stage picker; empty: HubSpot's first pipeline and stage. */
export const stageValue = (p: { pipelineId: string; stageId: string } | null): string => (p ? `${p.pipelineId}:${p.stageId}` : '');

/**
 * What a handoff does: create a ticket for a conversation without one (on or off), with which pipeline and stage,
 * and which HubSpot owner gets a handed-off ticket nobody owns. The choices come from the connected portal.
 */
export const HandoffCard: FC<{ settings: HandoffSettings; choices: HandoffChoices | null; csrfToken: string }> = ({ settings, choices, csrfToken }) => (
  <section class="card" data-testid="handoff-settings" aria-labelledby="handoff-title">
    <h2 id="handoff-title">When the AI hands a conversation to a person</h2>
    {choices === null ? (
      <p class="muted" data-testid="handoff-unavailable">HubSpot did not answer with the portal's owners and pipelines; reload the page to try again.</p>
    ) : (
      <form method="post" action="/settings/integrations/hubspot/handoff">
        <CsrfField token={csrfToken} />
        <p>
          <label>
            <input type="checkbox" name="createTicket" value="on" checked={settings.createTicket} data-testid="handoff-create-ticket" /> Create a
            ticket for a conversation that has none
          </label>
        </p>
        <p>
          <label for="handoff-stage">Pipeline and stage of new tickets</label>{' '}
          <select id="handoff-stage" name="pipelineStage" data-testid="handoff-stage">
            <option value="" selected={settings.pipelineStage === null}>HubSpot's first pipeline, first stage</option>
            {choices.pipelines.map((p) => (
              <optgroup label={p.label}>
                {p.stages.map((s) => {
                  const value = stageValue({ pipelineId: p.id, stageId: s.id });
                  return <option value={value} selected={stageValue(settings.pipelineStage) === value}>{`${p.label} · ${s.label}`}</option>;
                })}
              </optgroup>
            ))}
          </select>
        </p>
        <p>
          <label for="handoff-owner">Default owner of handed-off tickets</label>{' '}
          <select id="handoff-owner" name="defaultOwnerId" data-testid="handoff-owner">
            <option value="" selected={settings.defaultOwnerId === null}>Nobody (leave unassigned)</option>
            {choices.owners.map((o) => <option value={o.id} selected={settings.defaultOwnerId === o.id}>{o.label}</option>)}
          </select>
        </p>
        <p class="muted">A workflow's "Request OpenCX handoff" that names an owner wins; a ticket an agent already owns keeps its owner.</p>
        <button type="submit" data-testid="handoff-submit">Save handoff settings</button>
      </form>
    )}
  </section>
);
