// Times as an agent reads them, in the portal's timezone: "14:03:12" today, "5 Dec 14:03" before.
export function readableTime(at: string | number | undefined, timeZone: string, now: number): string {
  if (at === undefined || at === '') return '';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  const day = (t: number) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short' }).format(t);
  const options: Intl.DateTimeFormatOptions = day(ms) === day(now)
    ? { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }
    : { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false };
  return new Intl.DateTimeFormat('en-GB', options).format(ms);
}
