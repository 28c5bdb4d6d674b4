import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM } from './geo-math.ts';
import { Route } from './route.ts';

describe('Route', () => {
  // Two legs due north from Bishkek: 1 km at 10 m/s, then 2 km at 20 m/s.
  const a: [number, number] = [74.6, 42.8];
  const b: [number, number] = [74.6, 42.8 + 1000 / 111_195];
  const c: [number, number] = [74.6, 42.8 + 3000 / 111_195];
  const route = new Route([a, b, c], [10, 20]);

  it('times each leg at its own speed', () => {
    expect(route.lengthM).toBeCloseTo(3000, 0);
    expect(route.arrivalS[1]).toBeCloseTo(100, 1);
    expect(route.durationS).toBeCloseTo(200, 1);
  });

  it('is where distance = speed x time puts it', () => {
    expect(distanceM(a, route.positionAt(50))).toBeCloseTo(500, 0);
    expect(distanceM(a, route.positionAt(100))).toBeCloseTo(1000, 0);
    expect(distanceM(a, route.positionAt(150))).toBeCloseTo(2000, 0);
  });

  it('waits at the start before departure and at the end after arrival', () => {
    expect(route.positionAt(-30)).toEqual(a);
    expect(route.positionAt(10_000)).toEqual(c);
  });

  it('never moves faster than the leg speed (property)', () => {
    const wide = new Route([[74.6, 42.8], [74.9, 42.7], [75.3, 42.84], [76.19, 42.46]], [15, 25, 22]);
    fc.assert(
      fc.property(fc.double({ min: 0, max: wide.durationS, noNaN: true }), fc.double({ min: 0.5, max: 60, noNaN: true }), (t, dt) => {
        const moved = distanceM(wide.positionAt(t), wide.positionAt(t + dt));
        return moved <= 25 * dt * 1.001 + 1e-6;
      }),
    );
  });

  it('reversed runs back from the end to the start in the same time', () => {
    const back = route.reversed();
    expect(back.positionAt(0)).toEqual(c);
    expect(back.durationS).toBeCloseTo(route.durationS, 6);
    expect(distanceM(back.positionAt(50), route.positionAt(150))).toBeLessThan(0.01);
  });

  it('refuses what is not a route', () => {
    expect(() => new Route([a], 10)).toThrow(/two waypoints/);
    expect(() => new Route([a, b, c], [10])).toThrow(/2 speeds/);
    expect(() => new Route([a, b], 0)).toThrow(/positive/);
  });
});
