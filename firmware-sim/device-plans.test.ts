import { describe, expect, it } from 'vitest';
import { dailyCharging, tamperEvents, within } from './device-plans.ts';
import { dailyRoutine, localHour } from './environment-plan.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1); // 06:00 in Bishkek

describe('tamperEvents', () => {
  it('turns tampering into sensor events in time order', () => {
    expect(tamperEvents([{ at: 500, kind: 'case_opened' }, { at: 100, kind: 'strap_opened', closedAfterS: 1 }, { at: 300, kind: 'strap_cut' }])).toEqual([
      { t: 100, type: 'strap_opened' },
      { t: 300, type: 'strap_opened' },
      { t: 500, type: 'case_opened' },
      { t: 1100, type: 'strap_closed' },
    ]);
  });
});

describe('dailyCharging', () => {
  it('charges in the evening (local time), about two hours, skipping the odd evening', () => {
    const spans = dailyCharging(5, T0, 60);
    expect(spans.length).toBeGreaterThan(45);
    expect(spans.length).toBeLessThanOrEqual(61);
    for (const s of spans) {
      expect(localHour(s.from)).toBeGreaterThanOrEqual(20.5);
      expect(localHour(s.from)).toBeLessThan(21.5);
      expect((s.to - s.from) / 3_600_000).toBeGreaterThanOrEqual(1.5);
      expect((s.to - s.from) / 3_600_000).toBeLessThanOrEqual(2.5);
    }
    expect(within(spans, spans[0]!.from)).toBe(true);
    expect(within(spans, spans[0]!.to)).toBe(false);
  });
});

describe('dailyRoutine', () => {
  it('is indoors at night and mixed by day, the same for the same seed', () => {
    const plan = dailyRoutine(11);
    const counts: Record<string, number> = {};
    for (let t = T0; t < T0 + 30 * DAY; t += 10 * 60_000) {
      const env = plan(t);
      const h = localHour(t);
      if (h >= 22 || h < 7) expect(['indoor', 'deep_indoor']).toContain(env);
      else counts[env] = (counts[env] ?? 0) + 1;
      expect(dailyRoutine(11)(t)).toBe(env);
    }
    expect(Object.keys(counts).sort()).toEqual(['deep_indoor', 'indoor', 'open', 'urban']);
  });
});
