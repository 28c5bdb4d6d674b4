import type { Environment } from './accuracy-model.ts';
import { hashSeed, prng } from '../infra/random/seeded-random.ts';

/** Where the wearer is (positioning-wise) at time t. Pure, so a tag replays identically. */
export type EnvironmentPlan = (t: number) => Environment;

export const constantEnvironment =
  (env: Environment): EnvironmentPlan =>
  () =>
    env;

/** Kyrgyzstan is UTC+6 all year (no DST), so the local hour is plain arithmetic. */
export const BISHKEK_OFFSET_MS = 6 * 3_600_000;
export const localHour = (t: number): number => (((t + BISHKEK_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000 / 3_600_000;

export interface DailyRoutine {
  /** Local hours at home indoors: from `nightFrom` to `nightTo` (wrapping midnight). */
  nightFrom: number;
  nightTo: number;
  /** Length of one daytime slot, ms: the wearer stays in one kind of place for a slot. */
  slotMs: number;
  /** Daytime shares of indoor, urban and open slots (the rest of 1 goes to open). */
  indoorShare: number;
  urbanShare: number;
  /** Share of indoor time without Wi-Fi positioning (a basement, a house in a village). */
  deepIndoorShare: number;
}

export const DEFAULT_ROUTINE: DailyRoutine = { nightFrom: 21, nightTo: 7.5, slotMs: 30 * 60_000, indoorShare: 0.45, urbanShare: 0.3, deepIndoorShare: 0.15 };

/**
 * A day as most wearers live it: indoors at home at night, and by day a mix of indoor, street and
 * open-sky half hours. Each slot's kind is drawn from a hash of (seed, slot), not from a running
 * generator, so the plan is a pure function of time and tags need keep no state for it.
 */
export function dailyRoutine(seed: number, routine: DailyRoutine = DEFAULT_ROUTINE): EnvironmentPlan {
  return (t) => {
    const slot = Math.floor(t / routine.slotMs);
    const r = prng(hashSeed(`${seed}:${slot}`))();
    const h = localHour(t);
    const night = routine.nightFrom > routine.nightTo ? h >= routine.nightFrom || h < routine.nightTo : h >= routine.nightFrom && h < routine.nightTo;
    if (night) return r < routine.deepIndoorShare ? 'deep_indoor' : 'indoor';
    if (r < routine.indoorShare * routine.deepIndoorShare) return 'deep_indoor';
    if (r < routine.indoorShare) return 'indoor';
    if (r < routine.indoorShare + routine.urbanShare) return 'urban';
    return 'open';
  };
}
