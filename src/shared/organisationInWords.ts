// The one name a sentence gives an organisation: its display name, else its name at UiPath. Never the workspace's ID
// ("local") nor the word "tenant".

export function organisationInWords(organisation: { displayName?: string | null; orgName: string }): string {
  const displayName = organisation.displayName?.trim() ?? '';
  return displayName === '' ? organisation.orgName : displayName;
}
