import type { LonLat } from '../infra/domain/types.ts';
import { distanceM, lerp } from './geo-math.ts';

/**
 * A way along waypoints at given speeds: the position at any elapsed time is pure arithmetic, so
 * a tag on a route needs no state and compressed-time scenarios can jump hours at once.
 * Speeds are per leg (leg i runs from waypoint i to i+1), or one speed for all legs.
 */
export class Route {
  readonly waypoints: readonly LonLat[];
  /** Length of each leg, metres. */
  readonly legM: readonly number[];
  /** Elapsed seconds at which each waypoint is reached; the last entry is the whole duration. */
  readonly arrivalS: readonly number[];

  constructor(waypoints: readonly LonLat[], speedsMps: number | readonly number[]) {
    if (waypoints.length < 2) throw new Error('a route needs at least two waypoints');
    const legs = waypoints.length - 1;
    const speeds = typeof speedsMps === 'number' ? Array.from({ length: legs }, () => speedsMps) : [...speedsMps];
    if (speeds.length !== legs) throw new Error(`a route of ${legs} legs needs ${legs} speeds, got ${speeds.length}`);
    if (speeds.some((s) => !(s > 0))) throw new Error('every leg needs a positive speed');
    this.waypoints = waypoints;
    this.legM = waypoints.slice(1).map((p, i) => distanceM(waypoints[i]!, p));
    const arrival = [0];
    for (let i = 0; i < legs; i++) arrival.push(arrival[i]! + this.legM[i]! / speeds[i]!);
    this.arrivalS = arrival;
  }

  get lengthM(): number {
    return this.legM.reduce((s, x) => s + x, 0);
  }
  get durationS(): number {
    return this.arrivalS[this.arrivalS.length - 1]!;
  }

  /** Where the traveller is `elapsedS` after leaving the first waypoint; waits at the ends. */
  positionAt(elapsedS: number): LonLat {
    const last = this.waypoints.length - 1;
    if (!(elapsedS > 0)) return this.waypoints[0]!;
    if (elapsedS >= this.durationS) return this.waypoints[last]!;
    // Binary search for the leg: routes have dozens of waypoints and tags ask every few seconds.
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.arrivalS[mid]! <= elapsedS) lo = mid;
      else hi = mid;
    }
    const span = this.arrivalS[lo + 1]! - this.arrivalS[lo]!;
    const f = span > 0 ? (elapsedS - this.arrivalS[lo]!) / span : 0;
    return lerp(this.waypoints[lo]!, this.waypoints[lo + 1]!, f);
  }

  /** The same way travelled backwards (the journey home), at the same speeds per leg. */
  reversed(): Route {
    const speeds = this.legM.map((m, i) => m / (this.arrivalS[i + 1]! - this.arrivalS[i]!)).reverse();
    return new Route([...this.waypoints].reverse(), speeds);
  }
}
