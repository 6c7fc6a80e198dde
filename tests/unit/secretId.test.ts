// Secret IDs are UiPath's int64: kept as exact digits from the answer's JSON text to the app's own JSON output.
import { describe, expect, it } from 'vitest';
import { canonicalSecretId, isSecretId } from '../../src/shared/secretId';
import { parseJsonLosslessly } from '../../src/main/organisation/wire';

const MAX = '9223372036854775807';

describe('secret IDs', () => {
  it('reads 2^63-1 and a negative ID from JSON text exactly, where JSON.parse rounds', () => {
    const text = `{"secrets":[{"id":${MAX}},{"id":-9223372036854775808},{"id":41872}]}`;
    expect((JSON.parse(text) as { secrets: { id: number }[] }).secrets[0]!.id).toBe(9223372036854775808);
    const read = parseJsonLosslessly(text) as { secrets: { id: unknown }[] };
    expect(read.secrets.map((s) => s.id)).toEqual([MAX, '-9223372036854775808', 41872]);
  });

  it('keeps int64 IDs as canonical digits and refuses anything else', () => {
    expect(canonicalSecretId(41872)).toBe('41872');
    expect(canonicalSecretId(MAX)).toBe(MAX);
    expect(canonicalSecretId('-5')).toBe('-5');
    expect(canonicalSecretId('0007')).toBe('7');
    expect(canonicalSecretId('9223372036854775808')).toBeNull();
    expect(canonicalSecretId(2 ** 60)).toBeNull();
    expect(canonicalSecretId('6f1c-uuid')).toBeNull();
    expect(isSecretId('0007')).toBe(false);
    expect(isSecretId(MAX)).toBe(true);
  });
});
