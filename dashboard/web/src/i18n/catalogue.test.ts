import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ky } from './ky.ts';
import { ru } from './ru.ts';
import { PROPOSAL_REASONS } from '../../../../infra/domain/violation-ladder.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI catalogues', () => {
  it('Kyrgyz and English have every Russian key, none empty, with the same placeholders', () => {
    for (const cat of [ky, en]) {
      expect(Object.keys(cat).sort()).toEqual(Object.keys(ru).sort());
      for (const [key, text] of Object.entries(cat)) {
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), key).toEqual(placeholders(ru[key as keyof typeof ru]));
      }
    }
  });

  it('words every reason the platform gives for a proposal', () => {
    for (const code of PROPOSAL_REASONS) expect(Object.keys(ru), code).toContain(`reason.${code}`);
  });
});
