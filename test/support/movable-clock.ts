/**
 * The wall clock plus an offset a test moves forward, shared by the server and the sandbox: production backoffs
 * (minutes) pass at once, while HubSpot signatures stay valid (they are signed and checked against this clock).
 */
export function createMovableClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
export type MovableClock = ReturnType<typeof createMovableClock>;
