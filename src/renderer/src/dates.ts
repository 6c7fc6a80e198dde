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
