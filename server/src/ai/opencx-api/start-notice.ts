import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';

/** HubSpot's own API host: anything else (the local sandbox, a test double) is not a real HubSpot app. */
const isRealHubSpot = (config: Config) => config.hubspot !== null && /(^|\.)hubapi\.com$/.test(new URL(config.hubspotApiBaseUrl).hostname);

/**
 * Says at start which AI answers customers when that may surprise an operator: against a real HubSpot app, with
 * no organization's OpenCX API key and no OPENCX_AI_URL, the embedded FAQ agent answers everyone.
 */
export async function noticeAiAtStart(deps: { config: Config; store: Store; logger: Logger }): Promise<boolean> {
  if (!isRealHubSpot(deps.config) || deps.config.opencxAiUrl !== null) return false;
  if ((await deps.store.opencxKeys.countConfigured()) > 0) return false;
  deps.logger.warn(
    { opencxApiBaseUrl: deps.config.opencxApiBaseUrl },
    'No organization has an OpenCX API key and OPENCX_AI_URL is unset: the embedded FAQ agent answers customers. ' +
      'An admin sets the key on Settings → Integrations → HubSpot.',
  );
  return true;
}
