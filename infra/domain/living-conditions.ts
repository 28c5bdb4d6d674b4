/**
 * The quarterly inspection of a child's living conditions (PEC KR art. 167(2)): when the next act
 * is due. Pure; the deadline watchdog raises `inspection_overdue` once the day after the due date
 * has begun and no act is on file, and the act closes it.
 *
 * The duty lasts while the client is a child (under ADULT_AGE_YEARS) and under supervision: from the
 * term's start (the appearance at the office, 166(1)(1)) to its end. The first act is due within
 * LIVING_CONDITIONS_INSPECTION_MONTHS of the term's start, each next one within as many months of
 * the last act (term.ts: the term's last day is the same date months later).
 */
import { ADULT_AGE_YEARS, LIVING_CONDITIONS_INSPECTION_ARTICLES, LIVING_CONDITIONS_INSPECTION_MONTHS } from './legal.ts';
import { addMonths, termLastDay } from './term.ts';
import type { RegimeKind } from './types.ts';

export interface InspectionInput {
  regime: RegimeKind;
  birthDate: string | null;
  termStart: string | null;
  termEnd: string | null;
  /** Dates of the acts on file (any order). */
  inspectedOn: readonly string[];
}

export interface InspectionDuty {
  articles: readonly string[];
  /** The last day by which the next act must be drawn up; null once the duty has ended. */
  nextDueOn: string | null;
  /** The day it is counted from: the last act on file, or the term's start. */
  countedFrom: string;
  /** The day the duty ends: the 18th birthday or the end of the term, whichever is first. */
  endsOn: string | null;
}

/** The 167(2) duty of one client, or null when art. 167(2) does not apply (an adult, another regime, no birth date, not registered). */
export function livingConditionsInspectionDuty(i: InspectionInput): InspectionDuty | null {
  const articles = LIVING_CONDITIONS_INSPECTION_ARTICLES[i.regime];
  if (!articles || !i.birthDate || !i.termStart) return null;
  const adultOn = addMonths(i.birthDate, ADULT_AGE_YEARS * 12);
  // A child on the day the supervision starts: 167 concerns "детей", judged by age, not by the age at the offence.
  if (i.termStart >= adultOn) return null;
  const endsOn = i.termEnd !== null && i.termEnd < adultOn ? i.termEnd : adultOn;
  const acts = i.inspectedOn.filter((d) => d >= i.termStart!).sort();
  const last = acts.at(-1) ?? i.termStart;
  const due = termLastDay(last, { months: LIVING_CONDITIONS_INSPECTION_MONTHS });
  // No act is owed for a quarter that begins after the duty has ended (the client is 18, or the term is over).
  return { articles, nextDueOn: due < endsOn ? due : null, countedFrom: last, endsOn };
}
