import { describe, expect, it } from 'vitest';
import { Battery, DEFAULT_BATTERY, type BatteryEvent } from './battery.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const levels = (events: BatteryEvent[]) => events.flatMap((e) => (e.type === 'battery' ? [e.level] : []));

describe('Battery', () => {
  it('drains 2 %/h at a 60 s interval and 5 %/h at 15 s', () => {
    const a = new Battery(T0, 100);
    a.advance(T0 + 10 * H, 60);
    expect(a.level).toBeCloseTo(80, 6);
    const b = new Battery(T0, 100);
    b.advance(T0 + 10 * H, 15);
    expect(b.level).toBeCloseTo(50, 6);
  });

  it('reports at every 5% step, at the moment it is crossed, with the level of the step', () => {
    const b = new Battery(T0, 100);
    const events = b.advance(T0 + 10 * H, 15);
    expect(levels(events)).toEqual([95, 90, 85, 80, 75, 70, 65, 60, 55, 50]);
    // 5 %/h: a step every hour exactly.
    expect(events.map((e) => e.t)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (i + 1) * H));
  });

  it('reports at least hourly when the level barely moves (charged and full)', () => {
    const b = new Battery(T0, 100);
    b.setCharger(T0, true, 60);
    const events = b.advance(T0 + 5 * H + 1, 60);
    expect(events.map((e) => e.t)).toEqual([1, 2, 3, 4, 5].map((i) => T0 + i * H));
    expect(events.every((e) => e.type === 'battery' && e.level === 100 && e.charging)).toBe(true);
  });

  it('no gap between battery reports exceeds an hour while draining at a long interval', () => {
    const b = new Battery(T0, 100);
    const events = b.advance(T0 + 30 * H, 3600);
    const times = [T0, ...events.map((e) => e.t)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(H);
  });

  it('charges at 50 %/h to 80% then tapers at 20 %/h, with charger events and a report of the new state', () => {
    const b = new Battery(T0, 20);
    const plug = b.setCharger(T0, true, 60);
    expect(plug.map((e) => e.type)).toEqual(['charger_connected', 'battery']);
    b.advance(T0 + 1.2 * H, 60);
    expect(b.level).toBeCloseTo(80, 6);
    b.advance(T0 + 2.2 * H, 60);
    expect(b.level).toBeCloseTo(100, 6);
    const unplug = b.setCharger(T0 + 3 * H, false, 60);
    expect(unplug.map((e) => e.type)).toContain('charger_disconnected');
    expect(unplug.at(-1)).toEqual({ t: T0 + 3 * H, type: 'battery', level: 100, charging: false });
  });

  it('at 0% says powering_off (battery_flat) and is silent until the charger brings it to the boot level', () => {
    const b = new Battery(T0, 6);
    const events = b.advance(T0 + 10 * H, 60);
    const off = events.findIndex((e) => e.type === 'powering_off');
    expect(events[off]).toEqual({ t: T0 + 3 * H, type: 'powering_off', reason: 'battery_flat' });
    // The 5% step after half an hour, hourly reports after it, and 0% as it goes.
    expect(levels(events)).toEqual([5, 3, 1, 0]);
    expect(off).toBe(events.length - 1);
    expect(b.poweredOn).toBe(false);
    // Plugged in while off: no charger event (the tag is off), a report when it boots at 3%.
    const back = b.setCharger(T0 + 20 * H, true, 60);
    expect(back).toEqual([]);
    const boot = b.advance(T0 + 21 * H, 60);
    expect(boot[0]).toEqual({ t: Math.round(T0 + 20 * H + (3 / 50) * H), type: 'battery', level: 3, charging: true });
    expect(b.poweredOn).toBe(true);
    expect(levels(boot)).toEqual([3, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });

  it('a model with faster fixes drains faster: the per-fix cost is what a short interval costs', () => {
    const hours = (interval: number) => {
      const b = new Battery(T0, 100, DEFAULT_BATTERY);
      const off = b.advance(T0 + 200 * H, interval).find((e) => e.type === 'powering_off')!;
      return (off.t - T0) / H;
    };
    expect(hours(60)).toBeCloseTo(50, 6);
    expect(hours(15)).toBeCloseTo(20, 6);
    expect(hours(5)).toBeLessThan(hours(15));
  });
});
