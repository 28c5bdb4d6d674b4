/**
 * Dates as a Kyrgyz office prints them: wall-clock time in Asia/Bishkek (UTC+6, no DST since
 * 2005), whatever the server's own time zone is.
 */
export const DOCUMENT_TIME_ZONE = 'Asia/Bishkek';

const MONTHS_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: DOCUMENT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function bishkekWallClock(ms: number): WallClock {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  const p = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "15.01.2026" */
export function bishkekDate(ms: number): string {
  const w = bishkekWallClock(ms);
  return `${pad(w.day)}.${pad(w.month)}.${w.year}`;
}

/** "15.01.2026 01:30:00" */
export function bishkekDateTime(ms: number): string {
  const w = bishkekWallClock(ms);
  return `${pad(w.day)}.${pad(w.month)}.${w.year} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** The date line of a formal document: "«15» января 2026 г." */
export function formalDate(ms: number): string {
  const w = bishkekWallClock(ms);
  return `«${pad(w.day)}» ${MONTHS_GENITIVE[w.month - 1]} ${w.year} г.`;
}

/** A calendar date from the case file ("2025-06-30") as "30.06.2025"; it has no time zone. */
export function calendarDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a calendar date (yyyy-mm-dd): ${iso}`);
  return `${m[3]}.${m[2]}.${m[1]}`;
}
