// The URLs of an Identity Server organisation, in UiPath's two path forms: /{org}/identity_ and /identity_.

export interface OrganisationAddress {
  /** e.g. https://cloud.uipath.com or http://127.0.0.1:43110, without a trailing slash. */
  baseUrl: string;
  orgName: string;
}

export interface OrganisationEndpoints {
  issuer: string;
  tokenUrl: string;
  authorizeUrl: string;
  /** The management API, under the organisation's path. */
  apiUrl: string;
}

export function endpointsOf(address: OrganisationAddress): OrganisationEndpoints {
  const base = address.baseUrl.replace(/\/+$/, '');
  const issuer = `${base}/identity_`;
  return {
    issuer,
    tokenUrl: `${issuer}/connect/token`,
    authorizeUrl: `${issuer}/connect/authorize`,
    apiUrl: `${base}/${encodeURIComponent(address.orgName)}/identity_/api`,
  };
}
