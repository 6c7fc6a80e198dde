// A day as a sentence says it: "31 Jan 2027", the same in main, the CLI and the page whatever the locale, so an activity
// entry written today reads the same tomorrow. The time of day belongs in a row's time column, never in a sentence.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An ISO time's day (UTC) in words: "2027-01-31T00:00:00Z" → "31 Jan 2027"; text that is no time comes back as is. */
export function dayInWords(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const day = new Date(time);
  return `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
}
