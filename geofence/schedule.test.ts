import { describe, expect, it } from 'vitest';
import type { WeeklySchedule } from '../infra/domain/types.ts';
import { localMinuteOfWeek, scheduleActive, utcOffsetMinutes } from './schedule.ts';

/** Epoch ms of a local Bishkek wall-clock time (UTC+6, no DST). */
const bishkek = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 6, mi);

describe('weekly schedules in Asia/Bishkek', () => {
  // 2025-06-09 is a Monday
  const curfew: WeeklySchedule = { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '06:00' }] };

  it('local minute of week: Monday 00:00 Bishkek is 0, which is Sunday 18:00 UTC', () => {
    expect(localMinuteOfWeek(bishkek(2025, 6, 9, 0, 0), 'Asia/Bishkek')).toBe(0);
    expect(localMinuteOfWeek(Date.UTC(2025, 5, 8, 18, 0), 'Asia/Bishkek')).toBe(0);
    expect(localMinuteOfWeek(bishkek(2025, 6, 15, 23, 59), 'Asia/Bishkek')).toBe(7 * 1440 - 1);
  });

  it('curfew 22:00-06:00 crosses midnight: Monday 23:30 and Tuesday 05:59 are inside, Tuesday 06:00 is not', () => {
    expect(scheduleActive(curfew, bishkek(2025, 6, 9, 23, 30))).toBe(true);
    expect(scheduleActive(curfew, bishkek(2025, 6, 10, 5, 59))).toBe(true);
    expect(scheduleActive(curfew, bishkek(2025, 6, 10, 6, 0))).toBe(false);
    expect(scheduleActive(curfew, bishkek(2025, 6, 9, 21, 59))).toBe(false);
    expect(scheduleActive(curfew, bishkek(2025, 6, 9, 22, 0))).toBe(true);
  });

  it('the window belongs to the day it starts: Friday night runs into Saturday morning, Saturday night is free', () => {
    expect(scheduleActive(curfew, bishkek(2025, 6, 14, 3, 0))).toBe(true); // Saturday 03:00, from Friday
    expect(scheduleActive(curfew, bishkek(2025, 6, 14, 23, 0))).toBe(false); // Saturday night
    expect(scheduleActive(curfew, bishkek(2025, 6, 9, 3, 0))).toBe(false); // Monday 03:00: Sunday has no window
  });

  it('a Sunday window wraps into Monday', () => {
    const s: WeeklySchedule = { timeZone: 'Asia/Bishkek', windows: [{ days: [7], start: '23:00', end: '01:00' }] };
    expect(scheduleActive(s, bishkek(2025, 6, 16, 0, 30))).toBe(true);
    expect(scheduleActive(s, bishkek(2025, 6, 16, 1, 0))).toBe(false);
  });

  it('UTC midnight is 06:00 in Bishkek: a 22:00-06:00 curfew ends exactly at 00:00 UTC', () => {
    expect(scheduleActive(curfew, Date.UTC(2025, 5, 9, 23, 59))).toBe(true); // Tue 05:59 local
    expect(scheduleActive(curfew, Date.UTC(2025, 5, 10, 0, 0))).toBe(false);
  });

  it('other IANA zones use Intl offsets (Europe/Berlin has DST)', () => {
    expect(utcOffsetMinutes('Europe/Berlin', Date.UTC(2025, 0, 15))).toBe(60);
    expect(utcOffsetMinutes('Europe/Berlin', Date.UTC(2025, 6, 15))).toBe(120);
    expect(utcOffsetMinutes('Asia/Bishkek', Date.UTC(2025, 6, 15))).toBe(360);
  });

  it('rejects malformed windows', () => {
    expect(() => scheduleActive({ timeZone: 'Asia/Bishkek', windows: [{ days: [8], start: '22:00', end: '06:00' }] }, 0)).toThrow();
    expect(() => scheduleActive({ timeZone: 'Asia/Bishkek', windows: [{ days: [1], start: '25:00', end: '06:00' }] }, 0)).toThrow();
  });

  it('a zone named like an object member is not a fixed offset: Intl rejects it', () => {
    const w = [{ days: [1], start: '22:00', end: '06:00' }];
    expect(() => scheduleActive({ timeZone: 'toString', windows: w }, 0)).toThrow(RangeError);
    expect(() => utcOffsetMinutes('constructor', 0)).toThrow(RangeError);
  });
});
