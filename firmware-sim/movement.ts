import type { LonLat } from '../infra/domain/types.ts';
import { offset } from './geo-math.ts';
import type { Route } from './route.ts';

/**
 * How the wearer moves:
 * - home: a slow bounded wander around home (most of a caseload, most of the time);
 * - heading: straight on at a constant speed from the tag's start (leaving town, fast);
 * - route: along waypoints (a road between cities, a border crossing), leaving at `departAt`
 *   (default: when the tag starts) and staying at the last waypoint on arrival;
 * - timeline: any pure function of time (a scenario's itinerary of waits and legs).
 */
export type Movement =
  | { kind: 'home'; home: LonLat; wanderM: number }
  | { kind: 'heading'; start: LonLat; bearingDeg: number; speedMps: number }
  | { kind: 'route'; route: Route; departAt?: number }
  | { kind: 'timeline'; positionAt(t: number): LonLat };

/**
 * Where the wearer truly is at t. Pure: `startedAt` is when the tag started and `seed` its own
 * number, so every tag wanders differently but the same tag replays identically.
 */
export function positionAt(m: Movement, t: number, startedAt: number, seed: number): LonLat {
  switch (m.kind) {
    case 'home': {
      // Two incommensurate periods (~15 and ~12 minutes) trace a Lissajous figure within wanderM.
      const phase = (t / 600_000 + (seed % 1000)) * 0.7;
      return offset(m.home, Math.sin(phase) * m.wanderM, Math.cos(phase * 1.3) * m.wanderM);
    }
    case 'heading': {
      const d = ((t - startedAt) / 1000) * m.speedMps;
      const b = (m.bearingDeg * Math.PI) / 180;
      return offset(m.start, Math.sin(b) * d, Math.cos(b) * d);
    }
    case 'route':
      return m.route.positionAt((t - (m.departAt ?? startedAt)) / 1000);
    case 'timeline':
      return m.positionAt(t);
  }
}
