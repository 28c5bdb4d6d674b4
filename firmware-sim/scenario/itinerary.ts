import type { LonLat } from '../../infra/domain/types.ts';
import { distanceM } from '../geo-math.ts';
import type { Movement } from '../movement.ts';
import { road as roadById, routeAlong } from '../roads.ts';
import { Route } from '../route.ts';
import { resolvePlace } from './places.ts';
import type { ScenarioMovement } from './scenario-schema.ts';

interface Leg {
  fromS: number;
  toS: number;
  /** Null while waiting at `at`. */
  route: Route | null;
  at: LonLat;
}

/**
 * A wearer's day as a list of legs in seconds from the scenario start: waits, straight legs via
 * waypoints, whole roads. Compiled into a pure function of time, so the tag can be asked where the
 * wearer was at any moment (store-and-forward replays, time jumps) without state.
 */
export class Itinerary {
  readonly legs: readonly Leg[];
  readonly start: LonLat;

  constructor(movement: ScenarioMovement) {
    this.start = resolvePlace(movement.from);
    const legs: Leg[] = [];
    let here = this.start;
    let t = 0;
    for (const step of movement.steps ?? []) {
      if (step.waitS !== undefined) {
        legs.push({ fromS: t, toS: t + step.waitS, route: null, at: here });
        t += step.waitS;
        continue;
      }
      const route = step.road !== undefined ? roadLeg(here, step.road, step.reverse ?? false, step) : pointLeg(here, [...(step.via ?? []), step.to!].map(resolvePlace), step);
      legs.push({ fromS: t, toS: t + route.durationS, route, at: here });
      t += route.durationS;
      here = route.waypoints[route.waypoints.length - 1]!;
    }
    this.legs = legs;
  }

  /** Seconds from the start until the last leg ends. */
  get durationS(): number {
    return this.legs.at(-1)?.toS ?? 0;
  }

  /** Where the wearer is `elapsedS` after the scenario start (at `from` before, at the end after). */
  positionAt(elapsedS: number): LonLat {
    let here = this.start;
    for (const leg of this.legs) {
      if (elapsedS < leg.fromS) return here;
      if (elapsedS < leg.toS) return leg.route ? leg.route.positionAt(elapsedS - leg.fromS) : leg.at;
      here = leg.route ? leg.route.waypoints[leg.route.waypoints.length - 1]! : leg.at;
    }
    return here;
  }

  /** The tag's movement: device time is wall-clock time, so the itinerary is anchored at t0. */
  movement(t0: number, wanderM: number | undefined): Movement {
    if (!this.legs.length && wanderM) return { kind: 'home', home: this.start, wanderM };
    return { kind: 'timeline', positionAt: (t) => this.positionAt((t - t0) / 1000) };
  }
}

type Pace = { durationS?: number | undefined; speedKmh?: number | undefined };

function pointLeg(here: LonLat, points: LonLat[], pace: Pace): Route {
  const waypoints = [here, ...points];
  const lengthM = waypoints.slice(1).reduce((s, p, i) => s + distanceM(waypoints[i]!, p), 0);
  const mps = pace.speedKmh !== undefined ? pace.speedKmh / 3.6 : Math.max(lengthM, 0.001) / pace.durationS!;
  return new Route(nonDegenerate(waypoints), mps);
}

/** A whole road, joined from where the wearer is, at the road's own relative speeds. */
function roadLeg(here: LonLat, id: string, reverse: boolean, pace: Pace): Route {
  let r = routeAlong(roadById(id));
  if (reverse) r = r.reversed();
  const legSpeeds = r.legM.map((m, i) => m / (r.arrivalS[i + 1]! - r.arrivalS[i]!));
  const waypoints = [...r.waypoints];
  let speeds = legSpeeds;
  if (distanceM(here, waypoints[0]!) > 1) {
    waypoints.unshift(here);
    speeds = [legSpeeds[0]!, ...legSpeeds];
  }
  if (pace.speedKmh !== undefined) return new Route(waypoints, pace.speedKmh / 3.6);
  const natural = new Route(waypoints, speeds);
  const factor = pace.durationS !== undefined ? natural.durationS / pace.durationS : 1;
  return new Route(waypoints, speeds.map((s) => s * factor));
}

/** Route needs at least two waypoints and positive leg lengths only matter for timing. */
function nonDegenerate(points: LonLat[]): LonLat[] {
  return points.length >= 2 ? points : [points[0]!, points[0]!];
}
