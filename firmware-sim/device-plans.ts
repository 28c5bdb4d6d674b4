import type { DeviceEventType } from '../ingest/protocol.ts';
import { BISHKEK_OFFSET_MS } from './environment-plan.ts';
import { prng } from '../infra/random/seeded-random.ts';
import type { Span } from './link-schedule.ts';

/**
 * Tampering a tag can suffer:
 * - strap_cut: the strap is cut through; its circuit stays open;
 * - strap_opened: the strap is opened and closed again after `closedAfterS` (a wearer testing it);
 * - case_opened: the housing is opened, and closed after `closedAfterS` if given.
 */
export type Tamper =
  | { at: number; kind: 'strap_cut' }
  | { at: number; kind: 'strap_opened'; closedAfterS: number }
  | { at: number; kind: 'case_opened'; closedAfterS?: number };

export interface TimedEvent {
  t: number;
  type: DeviceEventType;
}

/** The events the tamper sensors report, in time order. Pure. */
export function tamperEvents(plan: readonly Tamper[]): TimedEvent[] {
  const out: TimedEvent[] = [];
  for (const x of plan) {
    if (x.kind === 'strap_cut') out.push({ t: x.at, type: 'strap_opened' });
    else if (x.kind === 'strap_opened') out.push({ t: x.at, type: 'strap_opened' }, { t: x.at + x.closedAfterS * 1000, type: 'strap_closed' });
    else {
      out.push({ t: x.at, type: 'case_opened' });
      if (x.closedAfterS !== undefined) out.push({ t: x.at + x.closedAfterS * 1000, type: 'case_closed' });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * Charging sessions: every evening from `fromLocalHour` (UTC+6) for `hours`, for `days` from
 * `from`; the wearer forgets to charge on `skipShare` of the evenings (the cause of most flat
 * batteries in the field). Seeded, so a tag's plan replays.
 */
export function dailyCharging(seed: number, from: number, days: number, fromLocalHour = 21, hours = 2, skipShare = 0.1): Span[] {
  const rand = prng(seed);
  const spans: Span[] = [];
  const firstLocalMidnight = Math.floor((from + BISHKEK_OFFSET_MS) / 86_400_000) * 86_400_000 - BISHKEK_OFFSET_MS;
  for (let d = 0; d <= days; d++) {
    const start = firstLocalMidnight + d * 86_400_000 + (fromLocalHour + (rand() - 0.5)) * 3_600_000;
    const len = hours * (0.75 + 0.5 * rand()) * 3_600_000;
    if (rand() < skipShare) continue;
    if (start + len > from) spans.push({ from: Math.round(Math.max(start, from)), to: Math.round(start + len) });
  }
  return spans;
}

/** Whether t falls in one of the spans. */
export const within = (spans: readonly Span[], t: number): boolean => spans.some((s) => t >= s.from && t < s.to);
