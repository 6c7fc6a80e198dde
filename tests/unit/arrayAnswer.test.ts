// A list answer read as its chunks arrive: the same applications whatever the chunks, a wrong one named with nothing
// after it handed on, and what is not JSON refused as such.
import { describe, expect, it } from 'vitest';
import { ExternalClient } from '../../src/shared/model';
import { ArrayAnswerReader } from '../../src/main/organisation/arrayAnswer';
import { AppError } from '../../src/shared/errors';

/** Applications whose text holds what a chunk may end inside: escapes, characters of 2 to 4 bytes, brackets in text. */
function appNo(i: number): ExternalClient {
  return {
    id: `c-${i}`,
    name: `Ünïcödé "${i}" 日本 🚀 back\\slash ]},[{`,
    isConfidential: i % 2 === 0,
    redirectUri: i % 2 === 0 ? null : `https://app${i}.example.com/cb?a=[1]&b={2}`,
    resources: [
      {
        name: 'OrchestratorApiUserAccess',
        displayName: 'Orchestrator API Access',
        description: 'tab\there, newline\nthere, \u0001',
        scopes: [{ name: 'OR.Jobs', displayName: 'OR.Jobs', description: '', type: 'user' }],
      },
    ],
    secrets: [{ id: `s-${i}`, description: null, creationTime: '2025-01-01T00:00:00Z', expiryTime: null }],
  };
}

const NOT_JSON = 'The organisation answered 200 with something that is not JSON.';

/** Reads `bytes` cut at `cuts`; answers the batches handed on, or the refusal. */
function read(
  bytes: Uint8Array,
  cuts: number[],
  batchSize = 2,
): { batches: ExternalClient[][]; refusal: string | null } {
  const batches: ExternalClient[][] = [];
  const reader = new ArrayAnswerReader(
    ExternalClient,
    'the list of applications',
    (batch) => batches.push(batch),
    () => new AppError('server_error', NOT_JSON),
    batchSize,
  );
  try {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      reader.write(bytes.subarray(from, cut));
      from = cut;
    }
    expect(reader.end()).toBe(batches.flat().length);
    return { batches, refusal: null };
  } catch (error) {
    return { batches, refusal: (error as Error).message };
  }
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('a list answer read as it arrives', () => {
  const apps = [appNo(0), appNo(1), appNo(2)];
  const bytes = encode(` [ ${apps.map((app) => JSON.stringify(app)).join(' ,\n')} ] `);

  it('gives the same applications, in order and in batches, wherever the chunks end', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { batches, refusal } = read(bytes, [cut]);
      expect(refusal).toBeNull();
      expect(batches).toEqual([[apps[0], apps[1]], [apps[2]]]);
    }
    expect(
      read(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ).batches.flat(),
    ).toEqual(apps);
  });

  it('reads an empty list', () => {
    expect(read(encode('[]'), [1])).toEqual({ batches: [], refusal: null });
  });

  it('names the first application of the wrong shape by its index and field, and hands on nothing from it on', () => {
    const wrong = [appNo(0), appNo(1), appNo(2), { ...appNo(3), redirectUri: 42 }, appNo(4)];
    const { batches, refusal } = read(encode(JSON.stringify(wrong)), [100, 900]);
    expect(refusal).toBe(
      'The organisation answered with an unexpected shape for the list of applications (at 3.redirectUri).',
    );
    expect(batches.flat().map((app) => app.id)).toEqual(['c-0', 'c-1']);
  });

  it('refuses an answer that is not one array as of an unexpected shape', () => {
    for (const text of ['{"value": []}', 'null', '"[]"'])
      expect(read(encode(text), [1]).refusal).toBe(
        'The organisation answered with an unexpected shape for the list of applications (at its top level).',
      );
  });

  it('refuses what is not JSON: cut short, with something after the array, or nothing at all', () => {
    const whole = JSON.stringify([appNo(0), appNo(1), appNo(2)]);
    for (const text of [whole.slice(0, -1), whole.slice(0, 40), `${whole}[]`, `${whole} x`, '', '  ', '[,]'])
      expect(read(encode(text), [Math.min(3, text.length)]).refusal).toBe(NOT_JSON);
  });

  it('stops at what the receiver of a batch throws', () => {
    const reader = new ArrayAnswerReader(
      ExternalClient,
      'the list of applications',
      () => {
        throw new Error('disk full');
      },
      () => new AppError('server_error', NOT_JSON),
      2,
    );
    expect(() => {
      reader.write(bytes);
    }).toThrow('disk full');
  });
});
