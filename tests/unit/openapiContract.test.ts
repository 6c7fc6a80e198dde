// The contract checker itself: what it must refuse and what it must let through of UiPath's ExternalClient answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract, recordingFetch, type Contract, type Exchange } from '../contract/openapiContract';

const BASE = 'https://cloud.uipath.com';
const PARTITION = '8e3b2f6a-5c1d-4e7b-9a10-3f2d4c6b7a81';
const CLIENT = '6b1c7f3e-2d4a-4f8e-b9c0-1a2b3c4d5e6f';
const API = `${BASE}/acme/identity_/api`;
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

let contract: Contract;
beforeAll(async () => {
  contract = await loadContract();
});

/** An answer as recordingFetch would record it, from its text. */
function answered(
  exchange: Omit<Exchange, 'responseBody' | 'responseHeaders'>,
  text: string,
  headers: Record<string, string> = JSON_TYPE,
): Exchange {
  return {
    ...exchange,
    responseText: text,
    responseBody: text === '' ? undefined : (JSON.parse(text) as unknown),
    responseHeaders: headers,
  };
}

const secret = (id: unknown) => ({
  id,
  description: null,
  secret: null,
  creationTime: '2026-01-02T09:15:00Z',
  expiryTime: null,
});

const app = (overrides: Record<string, unknown> = {}) => ({
  name: 'Invoice portal',
  id: CLIENT,
  secret: null,
  isConfidential: false,
  redirectUri: 'https://invoices.example.com/callback',
  resources: [
    {
      name: 'OrchestratorApiUserAccess',
      displayName: 'Orchestrator API Access',
      description: 'Automate Orchestrator.',
      scopes: [
        { name: 'OR.Machines.Read', displayName: 'OR.Machines.Read', description: 'View machines.', type: 'user' },
      ],
    },
  ],
  secrets: [],
  ...overrides,
});

const listOf = (apps: unknown[]): Exchange => ({
  method: 'GET',
  url: `${API}/ExternalClient/${PARTITION}`,
  status: 200,
  responseBody: apps,
  responseHeaders: JSON_TYPE,
});

const put = (status: number, text: string, headers: Record<string, string> = {}) =>
  answered(
    {
      method: 'PUT',
      url: `${API}/ExternalClient/${PARTITION}/${CLIENT}`,
      requestBody: {
        name: 'Invoice portal (EU)',
        redirectUri: null,
        scopes: [{ name: 'OR.Machines.Read', type: 'user' }],
      },
      requestContentType: 'application/json',
      status,
    },
    text,
    headers,
  );

describe('the contract checker', () => {
  it('lets a described exchange through', () => {
    expect(contract.validateExchange(listOf([app()]))).toEqual([]);
  });

  it('refuses a secret id sent as a string', () => {
    const violations = contract.validateExchange(
      answered(
        {
          method: 'POST',
          url: `${API}/ExternalClient/GenerateSecret`,
          requestBody: { clientId: CLIENT, description: null, partitionGlobalId: PARTITION, expiryTime: null },
          requestContentType: 'application/json',
          status: 200,
        },
        JSON.stringify({ ...secret('41875'), secret: 'value' }),
      ),
    );
    expect(violations).toEqual([expect.stringMatching(/response body\/id must be integer/)]);
  });

  it('refuses a body in the answer of a PUT, which UiPath describes without content', () => {
    expect(contract.validateExchange(put(200, ''))).toEqual([]);
    expect(contract.validateExchange(put(200, JSON.stringify(app()), JSON_TYPE))).toEqual([
      expect.stringMatching(/the answer has a body; the description gives this answer no content/),
    ]);
  });

  it('refuses a status the description does not give the operation', () => {
    expect(contract.validateExchange(put(201, ''))).toEqual([
      expect.stringMatching(/gives this operation no 201 answer/),
    ]);
    expect(contract.validateExchange({ ...listOf([]), status: 418 })).toEqual([expect.stringMatching(/no 418 answer/)]);
  });

  it('refuses a path the description does not have', () => {
    expect(contract.validateExchange({ ...listOf([]), url: `${API}/ExternalClients` })).toEqual([
      expect.stringMatching(/no operation of the description/),
    ]);
  });

  it('accepts what UiPath allows: null resources and secrets, a userAndApplication scope, secret ids of any int64', () => {
    const userAndApplication = app({
      resources: [
        { name: 'PlatformManagementApiAccess', scopes: [{ name: 'PM.OAuthApp', type: 'userAndApplication' }] },
      ],
    });
    expect(contract.validateExchange(listOf([app({ resources: null, secrets: null }), userAndApplication]))).toEqual(
      [],
    );
    // JSON.parse rounds 9223372036854775807 to 2^63; it is still an integer, and that is what can be checked.
    const largest = answered(listOf([]), `[${JSON.stringify(app()).slice(0, -3)}[{"id":9223372036854775807}]}]`);
    expect(largest.responseBody).toMatchObject([{ secrets: [{ id: 9223372036854775808 }] }]);
    expect(contract.validateExchange(largest)).toEqual([]);
    expect(contract.validateExchange(listOf([app({ secrets: [secret(-41872)] })]))).toEqual([]);
    expect(contract.validateExchange(listOf([app({ secrets: [secret(41872.5)] })]))).toEqual([
      expect.stringMatching(/secrets\/0\/id must be integer/),
    ]);
  });

  it('refuses a request body the operation does not take', () => {
    const violations = contract.validateExchange(
      answered(
        {
          method: 'POST',
          url: `${API}/ExternalClient`,
          requestBody: { partitionGlobalId: PARTITION, isConfidential: true, scopes: [] },
          requestContentType: 'application/json',
          status: 400,
        },
        JSON.stringify({
          status: 400,
          title: 'One or more validation errors occurred.',
          errors: { Name: ['Required'] },
        }),
      ),
    );
    expect(violations).toEqual([expect.stringMatching(/request\/requestBody must have required property 'name'/)]);
  });

  it('refuses a 429 whose Retry-After is not a number of seconds', () => {
    const tooMany = (retryAfter: string) =>
      answered(listOf([]), JSON.stringify({ status: 429, title: 'Too Many Requests' }), {
        ...JSON_TYPE,
        'retry-after': retryAfter,
      });
    expect(contract.validateExchange({ ...tooMany('30'), status: 429 })).toEqual([]);
    expect(contract.validateExchange({ ...tooMany('Wed, 21 Oct 2026 07:28:00 GMT'), status: 429 })).toEqual([
      expect.stringMatching(/retry-after must be integer/),
    ]);
  });

  it('holds every example of the description to its own schemas', () => {
    const bad: string[] = [];
    for (const operation of contract.api.getOperations()) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const media = (response as { content?: Record<string, { examples?: Record<string, { value: unknown }> }> })
          .content?.['application/json'];
        for (const [name, example] of Object.entries(media?.examples ?? {})) {
          const result = contract.api.validator.validateResponse(example.value, operation, Number(status));
          if (!result.valid)
            bad.push(`${operation.operationId ?? ''} ${status} ${name}: ${JSON.stringify(result.errors)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('recordingFetch', () => {
  it('records the request and the answer, and hands the answer on unread', async () => {
    const inner: typeof fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify([app()]), { status: 200, headers: { 'Content-Type': 'application/json' } }),
      );
    const recorder = recordingFetch(inner);
    const response = await recorder.fetch(`${API}/ExternalClient/${PARTITION}`, {
      headers: { accept: 'application/json', authorization: 'Bearer x' },
    });
    expect(await response.json()).toEqual([app()]);
    expect(recorder.exchanges).toEqual([
      expect.objectContaining({ method: 'GET', status: 200, responseBody: [app()], requestBody: undefined }),
    ]);
    expect(contract.validateAll(recorder.exchanges)).toEqual([]);
  });

  it('reads a form body as its fields and an empty answer as no body', async () => {
    const recorder = recordingFetch(() => Promise.resolve(new Response(null, { status: 204 })));
    await recorder.fetch(`${BASE}/identity_/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT }).toString(),
    });
    expect(recorder.exchanges[0]).toMatchObject({
      requestBody: { grant_type: 'client_credentials', client_id: CLIENT },
      requestContentType: 'application/x-www-form-urlencoded',
      responseBody: undefined,
      responseText: '',
    });
    // The token endpoint describes no 204.
    expect(contract.validateAll(recorder.exchanges)).toEqual([expect.stringMatching(/no 204 answer/)]);
  });
});
