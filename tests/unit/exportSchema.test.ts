// The export document's two schemas agree: a generated export passes the shipped JSON Schema (2020-12, by ajv) and
// the zod schema the import parses with; a document either refuses, the other refuses too.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { default as formats } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { exportDocumentOf } from '../../src/main/services/registrationsAsCode';
import { ExportDocument, type ExternalClient } from '../../src/shared/model';

const jsonSchema = JSON.parse(readFileSync('schemas/oauth-desk-export.schema.json', 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is CommonJS: under Node's ESM its plugin is the default export's `default`.
(formats as unknown as { default: typeof formats }).default(ajv);
const validate = ajv.compile(jsonSchema);

function app(overrides: Partial<ExternalClient>): ExternalClient {
  return {
    id: 'a1',
    name: 'Invoice robot',
    isConfidential: true,
    redirectUri: null,
    resources: [],
    secrets: [{ id: '41872', description: null, creationTime: '2026-01-01T00:00:00Z', expiryTime: null }],
    ...overrides,
  };
}

const generated = exportDocumentOf(
  { id: 'local', orgName: 'local', baseUrl: 'http://127.0.0.1:43110' },
  [
    app({
      resources: [
        {
          name: 'OrchestratorApiUserAccess',
          displayName: 'Orchestrator API Access',
          description: '',
          scopes: [
            { name: 'OR.Queues.Read', displayName: '', description: '', type: 'application' },
            { name: 'OR.Assets.Read', displayName: '', description: '', type: 'user' },
          ],
        },
      ],
      redirectUri: 'https://invoices.example.com/callback',
    }),
    app({ id: 'a2', name: 'Browser app', isConfidential: false, redirectUri: 'com.example.app:/cb' }),
  ],
  [
    {
      name: 'Queue worker',
      description: 'reads and writes queues',
      scopes: [{ name: 'OR.Queues', type: 'application' }],
    },
  ],
  '2026-05-01T10:00:00.000Z',
);

/** Both verdicts on one document. */
function verdicts(document: unknown): { json: boolean; zod: boolean } {
  return { json: validate(document), zod: ExportDocument.safeParse(document).success };
}

describe('the export schema', () => {
  it('a generated export passes the JSON Schema and the zod schema, and holds no secret', () => {
    expect(validate(generated), JSON.stringify(validate.errors)).toBe(true);
    expect(ExportDocument.parse(generated)).toEqual(generated);
    expect(JSON.stringify(generated)).not.toMatch(/secret"|"s1"/);
    expect(generated.registrations.map((r) => [r.client_name, r.token_endpoint_auth_method])).toEqual([
      ['Browser app', 'none'],
      ['Invoice robot', 'client_secret_basic'],
    ]);
  });

  const bad: [string, (d: Record<string, unknown>) => void][] = [
    [
      'a secret field on a registration',
      (d) => Object.assign((d.registrations as object[])[0]!, { client_secret: 'x' }),
    ],
    [
      'two redirect URIs',
      (d) => Object.assign((d.registrations as object[])[0]!, { redirect_uris: ['https://a', 'https://b'] }),
    ],
    [
      'an unknown auth method',
      (d) => Object.assign((d.registrations as object[])[0]!, { token_endpoint_auth_method: 'private_key_jwt' }),
    ],
    ['an empty scope name', (d) => Object.assign((d.scope_sets as object[])[0]!, { user_scopes: [''] })],
    ['another format', (d) => Object.assign(d, { format: 'something-else' })],
    ['version 2', (d) => Object.assign(d, { version: 2 })],
    ['no scope_sets', (d) => delete d.scope_sets],
    ['an unknown top-level field', (d) => Object.assign(d, { secrets: [] })],
    ['a date that is not one', (d) => Object.assign(d, { exported_at: 'yesterday' })],
  ];
  for (const [what, spoil] of bad)
    it(`both refuse ${what}`, () => {
      const document = structuredClone(generated) as unknown as Record<string, unknown>;
      spoil(document);
      expect(verdicts(document)).toEqual({ json: false, zod: false });
    });

  it('both accept a $schema line for editors', () => {
    expect(verdicts({ $schema: './schemas/oauth-desk-export.schema.json', ...generated })).toEqual({
      json: true,
      zod: true,
    });
  });
});
