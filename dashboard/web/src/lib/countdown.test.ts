import { describe, expect, it } from 'vitest';
import { bishkekToday, clock, compareAlerts, slaState } from './countdown.ts';

const SLA = { critical: 5, high: 15, medium: 60, low: 240 };
const MIN = 60_000;

describe('SLA countdown', () => {
  it('runs from the raise to the severity target and stops at acknowledgement', () => {
    const a = { severity: 'critical' as const, createdAt: 0, acknowledgedAt: null };
    expect(slaState(a, SLA, 2 * MIN)).toEqual({ kind: 'running', leftMs: 3 * MIN });
    expect(slaState(a, SLA, 7 * MIN)).toEqual({ kind: 'breached', overMs: 2 * MIN });
    expect(slaState({ ...a, acknowledgedAt: 4 * MIN }, SLA, 60 * MIN)).toEqual({ kind: 'met' });
    expect(slaState({ ...a, acknowledgedAt: 6 * MIN }, SLA, 60 * MIN)).toEqual({ kind: 'late', overMs: MIN });
    expect(slaState({ ...a, severity: 'low' }, SLA, 200 * MIN)).toEqual({ kind: 'running', leftMs: 40 * MIN });
  });

  it('formats durations like a clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65_000)).toBe('1:05');
    expect(clock(-65_000)).toBe('1:05');
    expect(clock(23 * 3_600_000 + 59 * MIN + 59_000)).toBe('23:59:59');
    expect(clock(3_600_000 + 5_000)).toBe('1:00:05');
  });
});

describe('queue order', () => {
  it('sorts most severe first, then newest, then by id (the API order of sort=severity)', () => {
    const rows = [
      { id: 'b', severity: 'low' as const, openedAt: 9 },
      { id: 'a', severity: 'critical' as const, openedAt: 1 },
      { id: 'c', severity: 'critical' as const, openedAt: 5 },
      { id: 'd', severity: 'high' as const, openedAt: 5 },
      { id: 'e', severity: 'high' as const, openedAt: 5 },
    ];
    expect(rows.sort(compareAlerts).map((r) => r.id)).toEqual(['c', 'a', 'e', 'd', 'b']);
  });
});

describe('calendar dates in Bishkek', () => {
  it('is already the next day at 18:00 UTC (midnight UTC+6)', () => {
    expect(bishkekToday(Date.UTC(2026, 0, 31, 17, 59))).toBe('2026-01-31');
    expect(bishkekToday(Date.UTC(2026, 0, 31, 18, 0))).toBe('2026-02-01');
  });
});
