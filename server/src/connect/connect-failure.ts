import type { FailureCode } from '../views/failures';

/** A Connect flow ended in one of the known failures; the route shows its page (views/failures.ts). */
export class ConnectFailure extends Error {
  override readonly name = 'ConnectFailure';
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
