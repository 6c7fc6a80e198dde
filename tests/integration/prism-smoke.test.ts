// Prism mocking the Identity Server contract: it serves the contract's examples, lets described requests through and
// reports the ones the contract does not allow. What it answers is held to the contract too.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract, recordingFetch, type Contract } from '../contract/openapiContract';
import { documentForMock, freePort, startPrism, type PrismMock } from '../contract/prism';

const PARTITION = '8e3b2f6a-5c1d-4e7b-9a10-3f2d4c6b7a81';
const CLIENT = 'c4e8a1d2-9f3b-4a67-b5e0-2d7f1c8a9b34';
const HEADERS = { accept: 'application/json', authorization: 'Bearer x' };

describe('Prism on the Identity Server contract', () => {
  let prism: PrismMock;
  let document: string;
  let contract: Contract;
  const recorder = recordingFetch();
  const api = (path: string) => `${prism.baseUrl}/acme/identity_/api${path}`;

  beforeAll(async () => {
    const port = await freePort();
    document = documentForMock(port);
    [prism, contract] = await Promise.all([startPrism({ mode: 'static', port, document }), loadContract()]);
  });
  afterAll(async () => {
    await prism.stop();
    rmSync(dirname(document), { recursive: true, force: true });
  });

  it('names its own URLs in the discovery document', async () => {
    const response = await recorder.fetch(`${prism.baseUrl}/identity_/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
    });
    expect(await response.json()).toMatchObject({
      issuer: `${prism.baseUrl}/identity_`,
      token_endpoint: `${prism.baseUrl}/identity_/connect/token`,
    });
  });

  it('answers described requests with the examples and reports no violation', async () => {
    const list = await recorder.fetch(api(`/ExternalClient/${PARTITION}`), { headers: HEADERS });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { name: string }[]).map((app) => app.name)).toEqual([
      'OAuth Desk admin',
      'Invoice portal',
    ]);
    const put = await recorder.fetch(api(`/ExternalClient/${PARTITION}/${CLIENT}`), {
      method: 'PUT',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Invoice portal (EU)',
        redirectUri: 'https://invoices.example.com/callback',
        scopes: [{ name: 'OR.Machines.Read', type: 'user' }],
      }),
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe('');
    await prism.settle();
    expect(prism.violations()).toEqual([]);
  });

  it('reports a request the contract does not allow', async () => {
    const response = await recorder.fetch(api('/ExternalClient'), {
      method: 'POST',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ partitionGlobalId: PARTITION, isConfidential: true, redirectUri: null, scopes: [] }),
    });
    expect(response.status).toBe(400);
    expect(prism.violations()).toEqual([
      "[VALIDATOR] ✖  error     Violation: request.body Request body must have required property 'name'",
    ]);
    // The checker sees the same fault in the recorded request; Prism's answer itself is as described.
    expect(contract.validateAll(recorder.exchanges)).toEqual([
      expect.stringMatching(
        /POST \/acme\/identity_\/api\/ExternalClient → 400: request\/requestBody must have required property 'name'/,
      ),
    ]);
  });

  it('reports a method the contract does not have for a path', async () => {
    const response = await fetch(api(`/ExternalClient/${PARTITION}/${CLIENT}`), { method: 'PATCH', headers: HEADERS });
    expect(response.status).toBe(405);
    await prism.settle();
    expect(prism.violations().at(-1)).toMatch(/Request terminated with error: .*NO_METHOD_MATCHED_ERROR/);
  });
});
