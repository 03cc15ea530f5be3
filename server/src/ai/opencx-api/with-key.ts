import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { OpenCxKeyRecord } from '../../store/opencx-keys.store';
import type { Store } from '../../store/store';
import type { OpenCxApi } from './client';
import { OpenCxApiError } from './errors';

/** What the OpenCX adapter and its hooks need; all of it lives in AppDeps. */
export interface OpenCxDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  opencx: OpenCxApi;
}

/**
 * Runs OpenCX calls with an organization's key and keeps the settings page honest about it: a refusal the
 * admin must act on (401/403/400) is recorded as the key's last error, and any successful call clears it.
 */
export async function withOpenCxKey<T>(deps: OpenCxDeps, key: OpenCxKeyRecord, work: (apiKey: string) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work(key.apiKey);
  } catch (error) {
    if (error instanceof OpenCxApiError && error.concernsAdmin) {
      await deps.store.opencxKeys.recordError(key.organizationId, { code: error.failure, message: error.message, at: deps.clock.now() });
      deps.logger.warn({ organizationId: key.organizationId, failure: error.failure, status: error.status }, error.message);
    }
    throw error;
  }
  if (key.lastError) await deps.store.opencxKeys.clearError(key.organizationId);
  return result;
}
