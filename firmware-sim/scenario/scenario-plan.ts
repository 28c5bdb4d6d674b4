import type { LonLat, RegimeKind, Zone, ZoneShape } from '../../infra/domain/types.ts';
import type { Environment } from '../accuracy-model.ts';
import type { BatteryModel } from '../battery.ts';
import type { Tamper } from '../device-plans.ts';
import type { EnvironmentPlan } from '../environment-plan.ts';
import type { Span } from '../link-schedule.ts';
import { road as roadById } from '../roads.ts';
import type { TagOptions } from '../simulated-tag.ts';
import { Itinerary } from './itinerary.ts';
import { resolvePlace } from './places.ts';
import { toWeeklySchedule } from './relative-schedule.ts';
import type { Scenario, ScenarioDevice, ScenarioEvent } from './scenario-schema.ts';
import type { ResolvedSettings } from './scenario-settings.ts';

export interface PlannedClient {
  key: string;
  name: string;
  regime: RegimeKind;
  residenceUnitId: string;
  districtId: string;
  zones: Omit<Zone, 'id' | 'clientId'>[];
  checkIns: { dueInDays: number; status: 'scheduled' | 'attended' }[];
  ageYears: number | null;
  termStartedDaysAgo: number;
}

export interface PlannedDevice {
  key: string;
  /** The id on the platform: unique per run, so runs never share a tag. */
  id: string;
  clientKey: string;
  intervalS: number;
  tag: Omit<TagOptions, 'id' | 'password'>;
}

export type PlannedAction =
  | { at: number; kind: 'permit'; clientKey: string; decision: 'approve' | 'deny'; category: string; destinations: string[]; corridor: { path: LonLat[]; halfWidthM: number } | null; validFrom: number; validUntil: number; label: string }
  | { at: number; kind: 'battery'; deviceKey: string; changes: Partial<BatteryModel>; label: string };

export interface ScenarioPlan {
  t0: number;
  endAt: number;
  clients: PlannedClient[];
  devices: PlannedDevice[];
  /** Things the runner does on the timeline, in time order. */
  actions: PlannedAction[];
}

/** How fast `battery_flat` empties the battery: 100 % per second, reporting every 5 % step. */
export const FLAT_DRAIN_PCT_PER_HOUR = 360_000;

/** Turns a validated scenario into absolute times from t0 (epoch ms, the wall clock). */
export function planScenario(s: Scenario, settings: ResolvedSettings, t0: number, idPrefix: string): ScenarioPlan {
  const at = (sec: number) => Math.round(t0 + sec * 1000);
  const clients: PlannedClient[] = s.clients.map((c) => ({
    key: c.id,
    name: c.name ?? `Scenario client ${c.id}`,
    regime: c.regime ?? 'probation_supervision',
    residenceUnitId: c.residenceUnitId,
    districtId: c.districtId ?? c.residenceUnitId,
    checkIns: (c.checkIns ?? []).map((k) => ({ dueInDays: k.dueInDays, status: k.status ?? 'scheduled' })),
    ageYears: c.ageYears ?? null,
    termStartedDaysAgo: c.termStartedDaysAgo ?? 45,
    zones: [
      ...(c.exclusionZones ?? []).map((z, i) => ({
        kind: 'exclusion' as const,
        label: z.label ?? `exclusion zone ${i + 1}`,
        shape: z.circle
          ? ({ type: 'circle', center: resolvePlace(z.circle.center), radiusM: z.circle.radiusM } satisfies ZoneShape)
          : ({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [closeRing(z.polygon!.map((p) => [p[0], p[1]] as LonLat))] } } satisfies ZoneShape),
        schedule: z.schedule ? toWeeklySchedule(z.schedule, t0) : null,
      })),
      ...(c.curfew
        ? [{ kind: 'curfew_home' as const, label: 'curfew: home', shape: { type: 'circle', center: resolvePlace(c.curfew.home), radiusM: c.curfew.radiusM ?? 150 } satisfies ZoneShape, schedule: toWeeklySchedule(c.curfew.schedule, t0) }]
        : []),
    ],
  }));
  const devices = s.devices.map((d) => planDevice(d, settings, t0, idPrefix));
  const actions: PlannedAction[] = [];
  for (const r of s.travelRequests ?? []) {
    const path = r.corridor?.road !== undefined ? roadById(r.corridor.road).points.map((p) => p.at) : (r.corridor?.path?.map((p) => [p[0], p[1]] as LonLat) ?? null);
    actions.push({
      at: at(r.decidedAtS), kind: 'permit', clientKey: r.client, decision: r.decision, category: r.category ?? 'exceptional_circumstances', destinations: r.destinations,
      corridor: path && r.corridor ? { path, halfWidthM: r.corridor.halfWidthM } : null, validFrom: at(r.window.fromS), validUntil: at(r.window.toS),
      label: `travel request of ${r.client} to ${r.destinations.join(', ')} (made at ${r.requestedAtS}s): ${r.decision === 'approve' ? 'approved' : 'denied'}`,
    });
  }
  for (const d of s.devices) {
    for (const e of d.events ?? []) {
      if (e.type === 'battery_drain') actions.push({ at: at(e.atS), kind: 'battery', deviceKey: d.id, changes: { idleDrainPctPerHour: e.pctPerHour! }, label: `${d.id}: battery drains at ${e.pctPerHour} %/h` });
      if (e.type === 'battery_flat') actions.push({ at: at(e.atS), kind: 'battery', deviceKey: d.id, changes: { idleDrainPctPerHour: FLAT_DRAIN_PCT_PER_HOUR }, label: `${d.id}: battery goes flat` });
    }
  }
  actions.sort((a, b) => a.at - b.at);
  return { t0, endAt: at(s.durationS), clients, devices, actions };
}

function planDevice(d: ScenarioDevice, settings: ResolvedSettings, t0: number, idPrefix: string): PlannedDevice {
  const at = (sec: number) => Math.round(t0 + sec * 1000);
  const events = [...(d.events ?? [])].sort((a, b) => a.atS - b.atS);
  const intervalS = d.intervalS ?? settings.intervalS;
  const span = (o: { fromS: number; toS: number }): Span => ({ from: at(o.fromS), to: at(o.toS) });
  return {
    key: d.id,
    id: `${idPrefix}${d.id}`,
    clientKey: d.client,
    intervalS,
    tag: {
      movement: new Itinerary(d.movement).movement(t0, d.movement.wanderM),
      noiseM: d.noiseM ?? 3,
      intervalS,
      outlierScale: d.outliers ?? 0,
      ...(d.dishonestShare !== undefined ? { dishonestShare: d.dishonestShare } : {}),
      environment: environmentPlan(d.environment ?? 'open', events, at),
      batteryPct: d.batteryPct ?? 100,
      charging: chargingSpans(events, at),
      outages: (d.outages ?? []).map(span),
      tamper: tamperPlan(events, at),
      firstFixAt: t0,
    },
  };
}

/** GNSS lost between gps_lost and gps_regained: Wi-Fi (indoor) or cell (deep indoor) fixes instead. */
function environmentPlan(base: Environment, events: ScenarioEvent[], at: (s: number) => number): EnvironmentPlan {
  const changes: { t: number; env: Environment }[] = [];
  for (const e of events) {
    if (e.type === 'gps_lost') changes.push({ t: at(e.atS), env: e.fallback === 'cell' ? 'deep_indoor' : 'indoor' });
    if (e.type === 'gps_regained') changes.push({ t: at(e.atS), env: base });
  }
  return (t) => {
    let env = base;
    for (const c of changes) if (c.t <= t) env = c.env;
    return env;
  };
}

function chargingSpans(events: ScenarioEvent[], at: (s: number) => number): Span[] {
  const spans: Span[] = [];
  let on: number | null = null;
  for (const e of events) {
    if (e.type === 'charger_on' && on === null) on = at(e.atS);
    if (e.type === 'charger_off' && on !== null) {
      spans.push({ from: on, to: at(e.atS) });
      on = null;
    }
  }
  if (on !== null) spans.push({ from: on, to: Number.MAX_SAFE_INTEGER });
  return spans;
}

/** Opens paired with the next close become open-and-closed tampering; a cut never closes. */
function tamperPlan(events: ScenarioEvent[], at: (s: number) => number): Tamper[] {
  const plan: Tamper[] = [];
  const closeAfter = (i: number, type: string): number | undefined => {
    const c = events.slice(i + 1).find((x) => x.type === type);
    return c ? c.atS - events[i]!.atS : undefined;
  };
  events.forEach((e, i) => {
    if (e.type === 'strap_cut') plan.push({ at: at(e.atS), kind: 'strap_cut' });
    if (e.type === 'strap_open') {
      const after = closeAfter(i, 'strap_close');
      plan.push(after === undefined ? { at: at(e.atS), kind: 'strap_cut' } : { at: at(e.atS), kind: 'strap_opened', closedAfterS: after });
    }
    if (e.type === 'case_open') {
      const after = closeAfter(i, 'case_close');
      plan.push(after === undefined ? { at: at(e.atS), kind: 'case_opened' } : { at: at(e.atS), kind: 'case_opened', closedAfterS: after });
    }
  });
  return plan;
}

function closeRing(ring: LonLat[]): LonLat[] {
  const [a, b] = [ring[0]!, ring.at(-1)!];
  return a[0] === b[0] && a[1] === b[1] ? ring : [...ring, a];
}
