import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTER, escapeControlCharacters } from './control-characters.ts';

describe('control characters', () => {
  it('finds NUL, bell and DEL but not tab or line breaks', () => {
    for (const c of ['\u0000', '\u0007', '\u001b', '\u007f']) expect(CONTROL_CHARACTER.test(`a${c}b`)).toBe(true);
    expect(CONTROL_CHARACTER.test('a\tb\nc\r')).toBe(false);
  });
  it('escapes every one of them, and only them', () => {
    expect(escapeControlCharacters('a\u0000b\u0000\tc\u007f')).toBe('a\\u0000b\\u0000\tc\\u007f');
  });
});
