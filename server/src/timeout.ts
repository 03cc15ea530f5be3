/**
 * The one timeout: `work`, or whatever `onTimeout` returns (or throws) once `ms` have passed, whichever comes
 * first. The timer is cleared as soon as either settles. `work` is not cancelled (most of what we wait for takes
 * no signal): a late rejection is swallowed here, a late result dropped.
 */
export function withTimeout<T, F = never>(work: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (err) {
        reject(err);
      }
    }, Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
