// A registration's name, type and redirect URL as both SQLite databases keep them (the workspace's drafts and cached
// applications, the identity server's clients): `is_confidential` is SQLite's 0 or 1.

export interface RegistrationColumns {
  name: string;
  is_confidential: number;
  redirect_uri: string | null;
}

export interface RegistrationFields {
  name: string;
  isConfidential: boolean;
  redirectUri: string | null;
}

export function registrationFieldsOf(row: RegistrationColumns): RegistrationFields {
  return { name: row.name, isConfidential: row.is_confidential === 1, redirectUri: row.redirect_uri };
}
