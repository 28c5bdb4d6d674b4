import { describe, expect, it } from 'vitest';
import { parseRate } from './rate.ts';

describe('parseRate', () => {
  it('reads fixes per period as a per-tag interval', () => {
    expect(parseRate('1/60s')).toBe(60_000);
    expect(parseRate('2/1s')).toBe(500);
    expect(parseRate('1/500ms')).toBe(500);
    expect(parseRate('1/5m')).toBe(300_000);
  });
  it('rejects what it cannot read, naming the flag', () => {
    expect(() => parseRate('fast')).toThrow(/--rate/);
    expect(() => parseRate('0/60s')).toThrow(/no interval/);
  });
});
