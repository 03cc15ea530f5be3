import { useMemo } from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { createCardApi, resolveBackendOrigin, type CardFetch } from './card-api';
import { AiStatusView } from './AiStatusView';
import { BACKEND_ORIGIN } from './shared-generated/backend-origin';

type ExtensionApi = Parameters<Parameters<typeof hubspot.extend<'crm.record.sidebar'>>[0]>[0];

export interface AiStatusCardProps {
  context: ExtensionApi['context'];
  addAlert: ExtensionApi['actions']['addAlert'];
  fetch: CardFetch;
  now?: () => number;
}

/**
 * The card's shell: turns HubSpot's context into the API client and hands everything to the view. The same
 * entrypoint serves the ticket record sidebar and the help desk sidebar (two card hsmeta files).
 */
export function AiStatusCard({ context, addAlert, fetch, now }: AiStatusCardProps) {
  const origin = resolveBackendOrigin(context.variables, BACKEND_ORIGIN);
  const { crm, portal, user } = context;
  // A new client on every render would reload the status on every render (the view loads when `api` changes).
  const api = useMemo(
    () => createCardApi(fetch, origin, { ticketId: crm.objectId, portalId: portal.id, userId: user.id, userEmail: user.email }),
    [fetch, origin, crm.objectId, portal.id, user.id, user.email],
  );
  return <AiStatusView api={api} addAlert={addAlert} timeZone={context.portal.timezone} now={now} />;
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => (
  <AiStatusCard context={context} addAlert={actions.addAlert} fetch={hubspot.fetch} />
));
