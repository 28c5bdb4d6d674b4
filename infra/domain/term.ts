/**
 * The term of supervision as the law computes it: when it starts, by when the client must report,
 * when it ends, and the check-in calendar. Pure functions over calendar dates ("YYYY-MM-DD",
 * Asia/Bishkek); the numbers and articles come from legal.ts.
 */
import { CHECK_INS_PER_MONTH, DEFAULT_CHECK_IN_DAYS, DEFERRAL_ARRIVAL_ARTICLES, DEFERRAL_RELEASE_ARRIVAL_DAYS, TERM_RULES } from './legal.ts';
import type { DeferralArrivalBasis, RegimeKind } from './types.ts';

const DAY_MS = 86_400_000;
/** Kyrgyzstan is UTC+6 all year (no daylight saving time). */
const BISHKEK_OFFSET_MS = 6 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new Error(`not a calendar date: ${date}`);
  return t;
}
const format = (t: number) => new Date(t).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return format(parse(date) + days * DAY_MS);
}

/** The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const d = new Date(parse(date));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return format(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((parse(b) - parse(a)) / DAY_MS);
}

/** The calendar date in Asia/Bishkek at an instant. */
export function bishkekDate(epochMs: number): string {
  return format(epochMs + BISHKEK_OFFSET_MS);
}

/** Midnight at the start of a calendar date in Asia/Bishkek, as an instant. */
export function bishkekMidnight(date: string): number {
  return parse(date) - BISHKEK_OFFSET_MS;
}

// ---------------------------------------------------------------------------------------------
// How the Code's terms are counted: one convention for every term (docs/legal-workflow.md,
// "Counting terms"), with boundary tests in legal.term.test.ts.
// - Calendar days in Asia/Bishkek (bishkekDate): an instant belongs to the day it is in Bishkek.
// - A term counted from an event ("в течение десяти календарных дней со дня вступления ... в
//   законную силу", "в течение года" after a warning, "по истечении трех месяцев с момента отказа")
//   begins the day after the event: the event's own day is day 0.
// - A term of N days ends at the end of the N-th day after the event. A term of N months (a year is
//   12) ends at the end of the day with the event's date N months later, or the month's last day
//   when it has no such date (31 January + 1 month: 28 or 29 February).
// - Within the term: up to and including its last day. After the term ("по истечении"): from the
//   day after its last day.
// ---------------------------------------------------------------------------------------------

/** The length of a term of the Code. */
export type TermLength = { days: number } | { months: number };

/** The last day of a term counted from an event on `eventDay` (see the convention above). */
export function termLastDay(eventDay: string, length: TermLength): string {
  return 'days' in length ? addDays(eventDay, length.days) : addMonths(eventDay, length.months);
}

/** Whether `day` lies within the term: after the event's day and up to and including its last day. */
export function withinTerm(day: string, eventDay: string, length: TermLength): boolean {
  return day > eventDay && day <= termLastDay(eventDay, length);
}

/** The first day after the term ("по истечении"): the day after its last day. */
export function termExpiresOn(eventDay: string, length: TermLength): string {
  return addDays(termLastDay(eventDay, length), 1);
}

/** The last instant of a calendar day in Asia/Bishkek (a term's last day ends then). */
export function bishkekEndOfDay(date: string): number {
  return bishkekMidnight(addDays(date, 1)) - 1;
}

export interface TermInput {
  regime: RegimeKind;
  /** Date the sentence (or the parole or deferral decision) took legal effect; for parole, the release. */
  effectiveDate: string;
  /** Date the client registered or first appeared at the office; null until they do. */
  registeredOn: string | null;
  termMonths: number;
  /** Deferred sentences: where the arrival term runs from (default: the court decision, 160^2(2)). */
  deferralBasis?: DeferralArrivalBasis | null;
  /** Released from prison under a deferment: the day the client arrived at the place of residence (160^1(4)). */
  arrivedAtResidenceOn?: string | null;
}

export interface Term {
  /** Null while the term has not started: the client has not registered or appeared yet. */
  termStart: string | null;
  /**
   * Last calendar day on which the client may still report in time; null while it cannot be known
   * (released from prison under a deferment, not yet arrived at the place of residence: 160^1(4)).
   */
  arrivalDeadline: string | null;
  /** The day the term ends (the same date `termMonths` after the start); null with no start. */
  termEnd: string | null;
  articles: readonly string[];
}

/**
 * Term start per regime: restriction of freedom from registration (PEC KR art. 62); probation
 * supervision from the day of appearance (166(1)(1)); a deferred sentence from the decision's
 * effective date (160^3(1)); parole from release (160(6)). Arrival within 10 calendar days of the
 * effective date (61(2), 160^2(2), 166(1)(1)), or 5 days of release on parole (160(6)).
 */
export function computeTerm(input: TermInput): Term {
  const rule = TERM_RULES[input.regime];
  const termStart = rule.startsFrom === 'effective_date' || rule.startsFrom === 'release' ? input.effectiveDate : input.registeredOn;
  const termEnd = termStart ? addMonths(termStart, input.termMonths) : null;
  if (input.regime === 'deferred_sentence' && input.deferralBasis === 'release_from_prison') {
    // "подписка о явке в орган пробации в пятидневный срок со дня прибытия по месту жительства"
    const arrived = input.arrivedAtResidenceOn ?? null;
    return {
      termStart,
      arrivalDeadline: arrived ? termLastDay(arrived, { days: DEFERRAL_RELEASE_ARRIVAL_DAYS }) : null,
      termEnd,
      articles: [...DEFERRAL_ARRIVAL_ARTICLES.release_from_prison, 'PEC KR art. 160^3(1)'],
    };
  }
  return { termStart, arrivalDeadline: termLastDay(input.effectiveDate, { days: rule.arrivalDays }), termEnd, articles: rule.articles };
}

/** The halfway date of a term (rounded up to a whole day). */
export function termHalfway(termStart: string, termEnd: string): string {
  return addDays(termStart, Math.ceil(daysBetween(termStart, termEnd) / 2));
}

/**
 * The appearance dates of a term: CHECK_INS_PER_MONTH a month (PEC KR arts. 63(1)(7), 160^3(2)(7),
 * 166(1)(7)), on `days` of each month, from the term start to before its end. An appearance on a
 * Saturday or Sunday moves to the Monday after, when the office is open.
 */
export function checkInCalendar(termStart: string, termEnd: string, days: readonly number[] = DEFAULT_CHECK_IN_DAYS): string[] {
  if (days.length !== CHECK_INS_PER_MONTH) throw new Error(`the law sets ${CHECK_INS_PER_MONTH} appearances a month, got ${days.length} days`);
  if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 28)) throw new Error('check-in days must be 1..28 so that every month has them');
  const out: string[] = [];
  let month = `${termStart.slice(0, 7)}-01`;
  while (month < termEnd) {
    for (const day of [...days].sort((a, b) => a - b)) {
      let date = `${month.slice(0, 8)}${String(day).padStart(2, '0')}`;
      const weekday = new Date(parse(date)).getUTCDay();
      if (weekday === 6) date = addDays(date, 2);
      else if (weekday === 0) date = addDays(date, 1);
      if (date >= termStart && date < termEnd) out.push(date);
    }
    month = addMonths(month, 1);
  }
  return out;
}

/**
 * The client has not reported to the office and the statutory term to do so has passed (PEC KR
 * arts. 61(2), 160^2(2), 166(1)(1): 10 days; 160(6): 5 days on parole). On the deadline day itself
 * the client is still in time. The watchdog raises an alert on it; an officer records the violation.
 */
export function arrivalOverdue(term: Pick<Term, 'arrivalDeadline'>, registeredOn: string | null, today: string): boolean {
  return registeredOn === null && term.arrivalDeadline !== null && today > term.arrivalDeadline;
}

/**
 * The first day a fortnightly appearance may fall on. A deferred sentence and parole count the term
 * from the effective date or release, but the client has the arrival term to report (160^2(2),
 * 160(6)): no appearance is due inside it. So the calendar starts at registration, or the day after
 * the arrival deadline while the client has not registered; never before the term, nor before today
 * (a calendar made late does not invent missed appearances).
 */
export function checkInCalendarStart(term: Pick<Term, 'termStart' | 'arrivalDeadline'>, registeredOn: string | null, today: string): string | null {
  if (!term.termStart) return null;
  // An arrival term not yet known (160^1(4), before the client reached home): no calendar yet.
  if (registeredOn === null && term.arrivalDeadline === null) return null;
  const afterArrival = registeredOn ?? addDays(term.arrivalDeadline!, 1);
  return [term.termStart, afterArrival, today].sort()[2]!;
}

/** The appearances still to schedule for a term: the calendar from checkInCalendarStart to the term's end. */
export function checkInsToSchedule(term: Pick<Term, 'termStart' | 'termEnd' | 'arrivalDeadline'>, registeredOn: string | null, today: string, days?: readonly number[]): string[] {
  const start = checkInCalendarStart(term, registeredOn, today);
  if (!start || !term.termStart || !term.termEnd) return [];
  return checkInCalendar(term.termStart, term.termEnd, days).filter((d) => d >= start);
}

/** Age in whole years on a date. */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
