/**
 * Weekly schedules in local time (curfews, scheduled exclusion zones). Pure: time comes from
 * the fix (epoch ms), the zone's UTC offset from a fixed table (Kyrgyzstan has no DST) or,
 * for other IANA zones, from Intl (pure computation, cached per hour).
 */
import type { WeeklySchedule, WeeklyWindow } from '../infra/domain/types.ts';

const MIN_PER_DAY = 1440;
const MIN_PER_WEEK = 7 * MIN_PER_DAY;

/** Fixed offsets (minutes east of UTC) of zones without DST: no Intl needed on the hot path. */
const FIXED_OFFSETS: Record<string, number> = {
  'Asia/Bishkek': 360,
  'Asia/Frunze': 360,
  UTC: 0,
  'Etc/UTC': 0,
  GMT: 0,
};

/** Own keys only: a zone named like an Object.prototype member is not a fixed offset. */
const fixedOffset = (timeZone: string): number | undefined => (Object.hasOwn(FIXED_OFFSETS, timeZone) ? FIXED_OFFSETS[timeZone] : undefined);

const intlCache = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

/** Offset of an IANA time zone at instant t, in minutes east of UTC. */
export function utcOffsetMinutes(timeZone: string, t: number): number {
  const fixed = fixedOffset(timeZone);
  if (fixed !== undefined) return fixed;
  const hour = Math.floor(t / 3_600_000);
  const key = `${timeZone}@${hour}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  let fmt = intlCache.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    intlCache.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(hour * 3_600_000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  const off = Math.round((asUtc - hour * 3_600_000) / 60_000);
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

/** Minute of the local week: 0 = Monday 00:00 ... 10079 = Sunday 23:59. */
export function localMinuteOfWeek(t: number, timeZone: string): number {
  return minuteOfWeek(Math.floor(t / 60_000) + utcOffsetMinutes(timeZone, t));
}

/** Minute of the week of a local minute count since 1970-01-01 00:00 local time. */
function minuteOfWeek(localMin: number): number {
  // 1970-01-01 was a Thursday (ISO day 4): shift so that Monday = 0
  const m = (localMin + 3 * MIN_PER_DAY) % MIN_PER_WEEK;
  return m < 0 ? m + MIN_PER_WEEK : m;
}

export function parseHHMM(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(`invalid time "${s}" (expected HH:MM)`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) throw new Error(`invalid time "${s}"`);
  return h * 60 + min;
}

/**
 * Is a window open at local minute-of-week m? The window starts on each of its ISO days at
 * `start` and lasts until `end` (next day when end <= start; start == end means 24 h).
 * Start inclusive, end exclusive.
 */
export function windowActive(w: WeeklyWindow, m: number): boolean {
  const s = parseHHMM(w.start);
  const e = parseHHMM(w.end);
  let dur = (e - s + MIN_PER_DAY) % MIN_PER_DAY;
  if (dur === 0) dur = MIN_PER_DAY;
  for (const d of w.days) {
    if (!(d >= 1 && d <= 7)) throw new Error(`invalid ISO weekday ${d}`);
    const ws = (d - 1) * MIN_PER_DAY + s;
    let off = m - ws;
    if (off < 0) off += MIN_PER_WEEK;
    if (off < dur) return true;
  }
  return false;
}

/** Is the schedule active at instant t (epoch ms)? A null schedule is always active. */
export function scheduleActive(schedule: WeeklySchedule | null, t: number): boolean {
  if (!schedule) return true;
  return compiledScheduleActive(compileSchedule(schedule), t);
}

export interface CompiledSchedule {
  timeZone: string;
  /** The zone's fixed UTC offset (minutes) when it has one (FIXED_OFFSETS), else NaN (Intl). */
  fixedOffsetMin: number;
  /** [start minute of week, duration in minutes] per window and day. */
  spans: Float64Array;
}

const compiledCache = new WeakMap<WeeklySchedule, CompiledSchedule>();

/** Parse once; cached per schedule object. Throws on malformed windows. */
export function compileSchedule(schedule: WeeklySchedule): CompiledSchedule {
  const hit = compiledCache.get(schedule);
  if (hit) return hit;
  const spans: number[] = [];
  for (const w of schedule.windows) {
    const s = parseHHMM(w.start);
    const e = parseHHMM(w.end);
    let dur = (e - s + MIN_PER_DAY) % MIN_PER_DAY;
    if (dur === 0) dur = MIN_PER_DAY;
    for (const d of w.days) {
      if (!(Number.isInteger(d) && d >= 1 && d <= 7)) throw new Error(`invalid ISO weekday ${d}`);
      spans.push((d - 1) * MIN_PER_DAY + s, dur);
    }
  }
  const c = { timeZone: schedule.timeZone, fixedOffsetMin: fixedOffset(schedule.timeZone) ?? NaN, spans: Float64Array.from(spans) };
  compiledCache.set(schedule, c);
  return c;
}

export function compiledScheduleActive(c: CompiledSchedule, t: number): boolean {
  // a fixed offset is resolved at compile time: no keyed lookup by zone name per fix
  const fixed = c.fixedOffsetMin;
  const m = !Number.isNaN(fixed) ? minuteOfWeek(Math.floor(t / 60_000) + fixed) : localMinuteOfWeek(t, c.timeZone);
  const sp = c.spans;
  for (let i = 0; i < sp.length; i += 2) {
    let off = m - sp[i]!;
    if (off < 0) off += MIN_PER_WEEK;
    if (off < sp[i + 1]!) return true;
  }
  return false;
}
