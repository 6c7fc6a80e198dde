// The sentence an import file's refusal is shown as, from the field main names and the rule's message.
import { describe, expect, it } from 'vitest';
import { importRefusal } from '../../src/renderer/src/importRefusal';

describe('importRefusal', () => {
  it('says where in the file, then what the rule says, without repeating the field', () => {
    expect(importRefusal({ field: 'document.version', message: 'version must be 1.' })).toBe('Version must be 1.');
    expect(importRefusal({ field: 'document.registrations.2.client_name', message: 'client_name is required.' })).toBe(
      'in registrations.2, client_name is required.',
    );
  });

  it('calls a document that is not an export by that name', () => {
    expect(importRefusal({ field: 'document', message: 'document must be an object.' })).toBe(
      'it is not an OAuth Desk export.',
    );
  });
});
