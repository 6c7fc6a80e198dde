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
