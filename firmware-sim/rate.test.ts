import { describe, expect, it } from 'vitest';
import { parseDuration, parseRate } from './rate.ts';

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

describe('parseDuration', () => {
  it('reads ms, s, m and h', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
  });
  it('rejects what it cannot read, naming the flag', () => {
    expect(() => parseDuration('soon')).toThrow(/--duration/);
    expect(() => parseDuration('0s')).toThrow(/not positive/);
  });
});
