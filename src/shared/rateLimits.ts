// UiPath's documented API rate limits of the Identity Server, per organisation, per 5 minutes, per HTTP method: what
// the client's waits and estimates use, and what the embedded server enforces (schemas/uipath-external-applications.openapi.yaml,
// x-rate-limits).

export interface RateLimits {
  get: number;
  post: number;
  put: number;
  patch: number;
  delete: number;
  windowSeconds: number;
}

/** UiPath's limits per organisation: GET 300, POST 24 000, PUT/PATCH/DELETE 160 each, per 5 minutes. */
export const UIPATH_RATE_LIMITS: RateLimits = {
  get: 300,
  post: 24_000,
  put: 160,
  patch: 160,
  delete: 160,
  windowSeconds: 300,
};
