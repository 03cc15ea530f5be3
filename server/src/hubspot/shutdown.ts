// Shutdown of HubSpot calls: a call waiting for the portal's budget (up to maxRateLimitWaitMs, 15 s) or for its
// next retry would hold a worker's round, and so the server's stop, that long. Once the stop signal fires, those
// waits end at once and no new call is sent: the call fails as transient (nothing was sent), and the worker puts
// its event back for a later attempt, by this process after a restart or by another one.
import { HubSpotApiError } from './api-error';

/** The category of the error a call fails with when the server stops while it waits. */
export const SHUTTING_DOWN = 'SHUTTING_DOWN';

export function shuttingDownError(operation: string): HubSpotApiError {
  return new HubSpotApiError({
    kind: 'transient',
    status: 0,
    category: SHUTTING_DOWN,
    message: `HubSpot ${operation} not sent: the server is stopping`,
  });
}

/** Thrown by an interrupted wait; the caller, which knows the operation, turns it into shuttingDownError. */
export class WaitInterrupted extends Error {
  override readonly name = 'WaitInterrupted';
}

/** `sleep`, except that it rejects with WaitInterrupted as soon as `signal` aborts (at once if it already has). */
export function interruptibleSleep(sleep: (ms: number) => Promise<void>, signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  if (!signal) return sleep;
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(new WaitInterrupted('stopped'));
        return;
      }
      const onAbort = () => reject(new WaitInterrupted('stopped'));
      signal.addEventListener('abort', onAbort, { once: true });
      sleep(ms).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
}
