// The character diff of "why was my token refused?": what both texts share, what the token lacks and has besides.
import { describe, expect, it } from 'vitest';
import { diffText } from '../../src/shared/textDiff';

describe('diffText', () => {
  it('marks nothing when the texts are equal', () => {
    expect(diffText('repo:a/b', 'repo:a/b')).toEqual([{ kind: 'same', text: 'repo:a/b' }]);
  });
  it('marks a changed character in the middle', () => {
    expect(diffText('refs/heads/main', 'refs/heads/mainx')).toEqual([
      { kind: 'same', text: 'refs/heads/main' },
      { kind: 'extra', text: 'x' },
    ]);
    expect(diffText('repo:acme/robots:ref:refs/heads/main', 'repo:acme/robots:ref:refs/heads/dev')).toEqual([
      { kind: 'same', text: 'repo:acme/robots:ref:refs/heads/' },
      { kind: 'missing', text: 'main' },
      { kind: 'extra', text: 'dev' },
    ]);
  });
  it('finds a trailing slash and a dropped character', () => {
    expect(diffText('https://issuer.test', 'https://issuer.test/')).toEqual([
      { kind: 'same', text: 'https://issuer.test' },
      { kind: 'extra', text: '/' },
    ]);
    expect(diffText('environment:prod', 'environment:prd')).toEqual([
      { kind: 'same', text: 'environment:pr' },
      { kind: 'missing', text: 'o' },
      { kind: 'same', text: 'd' },
    ]);
  });
  it('keeps both texts whole in their runs, and handles empty ones', () => {
    const runs = diffText('abcdef', 'xbcdyf');
    expect(
      runs
        .filter((r) => r.kind !== 'extra')
        .map((r) => r.text)
        .join(''),
    ).toBe('abcdef');
    expect(
      runs
        .filter((r) => r.kind !== 'missing')
        .map((r) => r.text)
        .join(''),
    ).toBe('xbcdyf');
    expect(diffText('', 'abc')).toEqual([{ kind: 'extra', text: 'abc' }]);
    expect(diffText('abc', '')).toEqual([{ kind: 'missing', text: 'abc' }]);
  });
  it('does not grow quadratically on very long texts', () => {
    const long = diffText('a'.repeat(3000), 'b'.repeat(3000));
    expect(long).toEqual([
      { kind: 'missing', text: 'a'.repeat(3000) },
      { kind: 'extra', text: 'b'.repeat(3000) },
    ]);
  });
});
