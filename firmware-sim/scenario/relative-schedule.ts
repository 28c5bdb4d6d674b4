import type { WeeklySchedule, WeeklyWindow } from '../../infra/domain/types.ts';
import { BISHKEK_OFFSET_MS } from '../environment-plan.ts';
import type { Schedule } from './scenario-schema.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const hhmm = (localMs: number) => {
  const m = Math.floor((((localMs % DAY) + DAY) % DAY) / MINUTE);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * A window given in seconds from the scenario start, as the weekly local-time window the platform
 * stores (schedules have minute resolution): the start is rounded down and the end up to the
 * minute, so the window always covers the requested span. Kyrgyzstan is UTC+6 without DST.
 */
export function relativeWindow(t0: number, fromS: number, toS: number): WeeklyWindow {
  const start = Math.floor((t0 + fromS * 1000 + BISHKEK_OFFSET_MS) / MINUTE) * MINUTE;
  let end = Math.ceil((t0 + toS * 1000 + BISHKEK_OFFSET_MS) / MINUTE) * MINUTE;
  if (end === start) end += MINUTE;
  // A window of 24 h or more is written start == end, which the platform reads as 24 h.
  if (end - start >= DAY) end = start;
  const weekday = new Date(start).getUTCDay();
  return { days: [weekday === 0 ? 7 : weekday], start: hhmm(start), end: hhmm(end) };
}

/** The scenario's schedule as the platform's: weekly windows plus relative ones, Asia/Bishkek. */
export function toWeeklySchedule(s: Schedule, t0: number): WeeklySchedule {
  return {
    timeZone: 'Asia/Bishkek',
    windows: [...(s.weekly ?? []).map((w) => ({ days: [...w.days], start: w.start, end: w.end })), ...(s.relative ?? []).map((r) => relativeWindow(t0, r.fromS, r.toS))],
  };
}
