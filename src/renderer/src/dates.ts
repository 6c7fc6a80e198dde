// How the renderer writes dates and times for people: in their locale, and "Never" / "—" where there is none.
export function formatDateTime(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** A time of day, to the second: when something just happened (a Retry that failed again). */
export function formatTime(iso: string | null | undefined, none = '—'): string {
  if (!iso) return none;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleTimeString(undefined, { timeStyle: 'medium' });
}

/** How long ago (or how soon) a time is, in words: "3 minutes ago", "in 2 days"; `none` when there is no time. */
export function formatRelative(iso: string | null | undefined, none = 'never', now: number = Date.now()): string {
  if (!iso) return none;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const seconds = Math.round((time - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  return Math.abs(seconds) < 10 ? 'just now' : format.format(seconds, 'second');
}

/**
 * A secret's expiry as the admin reads it beside the date: "expires in 12 days", "expired 3 days ago" (in hours within
 * a day); null for a secret that does not expire.
 */
export function describeExpiry(iso: string | null | undefined, now: number = Date.now()): string | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return null;
  const passed = time <= now;
  const hours = Math.abs(time - now) / 3_600_000;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // Whole days, to the nearest (a secret made to last 5 days reads "in 5 days" a moment later); hours within a day.
  const span =
    hours >= 24 ? plural(Math.round(hours / 24), 'day') : hours >= 1 ? plural(Math.floor(hours), 'hour') : null;
  if (!span) return passed ? 'expired less than an hour ago' : 'expires in less than an hour';
  return passed ? `expired ${span} ago` : `expires in ${span}`;
}

/** A phrase as a label starts: "expires in 12 days" → "Expires in 12 days". */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
