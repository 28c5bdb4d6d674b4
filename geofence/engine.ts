/**
 * The geofence engine: point location in the admin units and the four place rules.
 * Pure: no I/O, no clock; the fix's device time is the only time.
 */
import type { AdminUnit, Fix, Permit, RegimeKind } from '../infra/domain/types.ts';
import { REGIME_KINDS } from '../infra/domain/types.ts';
import type { GeofenceRuleKind } from '../infra/domain/legal.ts';
import { geofenceRule, isForeignDestination } from '../infra/domain/legal.ts';
import { AreaGrid } from './area-grid.ts';
import type { BBox, SegmentList } from './geo.ts';
import { DEG, emptyBBox, extendBBox, segmentsOfRings } from './geo.ts';
import { DistanceField } from './distance-field.ts';
import { compileCorridor, compileShape, ringsOf, validateAreaGeometry, validateWithTurf } from './shapes.ts';
import { compileSchedule, compiledScheduleActive } from './schedule.ts';
import type { EngineOptions, Evaluation, GeofenceEngine, Location, RuleStatus, RuleVerdict, SupervisionContext } from './types.ts';
import { DEFAULT_ENGINE_OPTIONS } from './types.ts';

interface UnitEntry {
  unit: AdminUnit;
  /** Index of the unit within its level's grid. */
  slot: number;
  segs: SegmentList;
  field: DistanceField | null;
}

interface RegimeRules {
  residence: RuleInfo;
  country: RuleInfo;
  exclusion: RuleInfo;
  curfew: RuleInfo;
}

/** Static per-(rule, regime) data, resolved once. */
interface RuleInfo {
  applicability: string;
  alertType: RuleVerdict['alertType'];
  severity: RuleVerdict['severity'];
  articles: readonly string[];
}

export function createGeofenceEngine(units: AdminUnit[], options: Partial<EngineOptions> = {}): GeofenceEngine {
  const opts: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const byId = new Map<string, UnitEntry>();
  const levels: AdminUnit[][] = [[], [], []];
  for (const u of units) {
    if (byId.has(u.id)) throw new Error(`duplicate unit id ${u.id}`);
    if (u.level !== 0 && u.level !== 1 && u.level !== 2) throw new Error(`unit ${u.id}: invalid level ${String(u.level)}`);
    if (opts.validate !== 'none') validateAreaGeometry(u.geometry, `unit ${u.id}`);
    if (opts.validate === 'turf') validateWithTurf(u.geometry, `unit ${u.id}`);
    const slot = levels[u.level]!.length;
    levels[u.level]!.push(u);
    byId.set(u.id, { unit: u, slot, segs: segmentsOfRings(ringsOf(u.geometry), true), field: null });
  }
  if (levels[0]!.length === 0) throw new Error('createGeofenceEngine: no level-0 (country) unit given');
  if (levels[2]!.length === 0) throw new Error('createGeofenceEngine: no level-2 units given');

  const grids = levels.map((lv) => new AreaGrid(lv.map((u) => byId.get(u.id)!.segs), { cellsPerSegment: opts.cellsPerSegment }));
  const grid0 = grids[0]!;
  const grid1 = grids[1]!;
  const grid2 = grids[2]!;
  const level2 = levels[2]!;
  const level1 = levels[1]!;

  // The territory the distance indexes cover exactly: all units plus a margin.
  const territory: BBox = emptyBBox();
  for (const e of byId.values()) {
    const c = e.segs.coords;
    for (let i = 0; i < c.length; i += 2) extendBBox(territory, c[i]!, c[i + 1]!);
  }
  const MARGIN_DEG = 1;
  territory[0] -= MARGIN_DEG;
  territory[1] -= MARGIN_DEG;
  territory[2] += MARGIN_DEG;
  territory[3] += MARGIN_DEG;

  // The country boundary = all level-0 rings (normally one unit).
  const countrySegs = concatSegments(levels[0]!.map((u) => byId.get(u.id)!.segs));
  let country: DistanceField | null = null;
  function countryField(): DistanceField {
    return (country ??= new DistanceField(countrySegs, territory));
  }
  function fieldOf(e: UnitEntry): DistanceField {
    return (e.field ??= new DistanceField(e.segs, territory));
  }
  function gridOfLevel(lvl: number): AreaGrid {
    return grids[lvl]!;
  }

  function locate(lon: number, lat: number): Location {
    const u = grid2.locate(lon, lat);
    const o = grid1.locate(lon, lat);
    return {
      unitId: u >= 0 ? level2[u]!.id : null,
      oblastId: o >= 0 ? level1[o]!.id : null,
      inCountry: grid0.locate(lon, lat) >= 0,
    };
  }

  function signedDistanceToUnit(unitId: string, lon: number, lat: number): number {
    const e = byId.get(unitId);
    if (!e) throw new Error(`unknown unit ${unitId}`);
    const d = fieldOf(e).distance(lon, lat);
    return gridOfLevel(e.unit.level).locate(lon, lat) === e.slot ? -d : d;
  }

  // Rule data per regime, resolved once from infra/domain/legal.ts.
  const rulesByRegime = new Map<string, RegimeRules>();
  for (const regime of REGIME_KINDS) {
    rulesByRegime.set(regime, {
      residence: ruleInfo('residence_unit', regime),
      country: ruleInfo('country_border', regime),
      exclusion: ruleInfo('exclusion_zone', regime),
      curfew: ruleInfo('curfew', regime),
    });
  }

  /** Is the point inside unit e? Level 2 reuses the lookup already made for the fix. */
  function inUnit(e: UnitEntry, u2: number, lon: number, lat: number): boolean {
    return e.unit.level === 2 ? u2 === e.slot : gridOfLevel(e.unit.level).locate(lon, lat) === e.slot;
  }

  function evaluate(ctx: SupervisionContext, fix: Fix): Evaluation {
    // No closures in here: tsx/esbuild wraps every function expression in a naming helper.
    const lon = fix.lon;
    const lat = fix.lat;
    const t = fix.deviceTime;
    const acc = (fix.accuracyM > 0 ? fix.accuracyM : 0) * opts.uncertaintyFactor;
    const rules = rulesByRegime.get(ctx.regime);
    if (!rules) throw new Error(`unknown regime ${String(ctx.regime)}`);

    const u2 = grid2.locate(lon, lat);
    const inCountry = grid0.locate(lon, lat) >= 0;
    const unitId = u2 >= 0 ? level2[u2]!.id : null;
    const verdicts: RuleVerdict[] = [];
    const latR = lat * DEG;
    const cosP = Math.cos(latR);
    const sinHalf = (Math.sin(latR) * DEG) / 2;

    // Permits valid at the fix's device time (bounds inclusive).
    let valid: Permit[] | null = null;
    const permits = ctx.permits;
    for (let i = 0; i < permits.length; i++) {
      const p = permits[i]!;
      if (p.validFrom <= t && t <= p.validUntil) (valid ??= []).push(p);
    }

    // Country: signed distance to the country (negative inside).
    const dc = countryField().distanceAt(lon, lat, cosP, sinHalf);
    const dCountry = inCountry ? -dc : dc;
    // Deferred sentence: a valid permit with a foreign destination allows being abroad (160^3(2)(5)).
    let abroadPermit: Permit | null = null;
    if (valid && rules.country.applicability === 'unless_permitted') {
      for (let i = 0; i < valid.length && !abroadPermit; i++) {
        const ds = valid[i]!.destinationUnitIds;
        for (let k = 0; k < ds.length; k++) {
          if (isForeignDestination(ds[k]!)) {
            abroadPermit = valid[i]!;
            break;
          }
        }
      }
    }

    // --- residence unit -------------------------------------------------------------------
    const res = byId.get(ctx.residenceUnitId);
    if (!res) throw new Error(`unknown residence unit ${ctx.residenceUnitId}`);
    const inRes = inUnit(res, u2, lon, lat);
    {
      const r = rules.residence;
      const dRes = fieldOf(res).distanceAt(lon, lat, cosP, sinHalf);
      let d = inRes ? -dRes : dRes;
      let permitId: string | undefined;
      if (valid && r.applicability === 'unless_permitted') {
        for (let i = 0; i < valid.length; i++) {
          const p = valid[i]!;
          const ds = p.destinationUnitIds;
          for (let k = 0; k < ds.length; k++) {
            const dest = ds[k]!;
            let dd: number;
            if (isForeignDestination(dest)) {
              if (p !== abroadPermit) continue;
              dd = -dCountry; // abroad is allowed: signed distance to "not the country"
            } else {
              const e = byId.get(dest);
              if (!e) continue; // unknown unit id: ignored (validated where permits are approved)
              // Level-2 units do not overlap: inside the residence unit a level-2 destination is
              // at a positive distance and cannot lower d (< 0); skip the lookup.
              if (inRes && e.unit.level === 2 && res.unit.level === 2) continue;
              const dist = fieldOf(e).distanceAt(lon, lat, cosP, sinHalf);
              dd = inUnit(e, u2, lon, lat) ? -dist : dist;
            }
            if (dd < d) {
              d = dd;
              permitId = p.id;
            }
          }
          if (p.corridor) {
            const dd = compileCorridor(p.corridor).signedDistance(lon, lat);
            if (dd < d) {
              d = dd;
              permitId = p.id;
            }
          }
        }
        // Credit the permit only when the residence unit alone would not allow the position.
        if (inRes || d >= 0) permitId = undefined;
      }
      verdicts.push(verdict('residence_unit', 'residence', statusOf(d, acc), r.applicability !== 'not_applicable', d, r, permitId));
    }

    // --- country border ---------------------------------------------------------------------
    {
      const r = rules.country;
      if (abroadPermit) {
        // Both the country and abroad are allowed: report the border distance as a depth so the
        // verdict is 'inside', never uncertain; credit the permit when abroad.
        verdicts.push(verdict('country_border', 'country', 'inside', true, -Math.abs(dCountry), r, inCountry ? undefined : abroadPermit.id));
      } else {
        verdicts.push(verdict('country_border', 'country', statusOf(dCountry, acc), r.applicability !== 'not_applicable', dCountry, r, undefined));
      }
    }

    // --- zones ------------------------------------------------------------------------------
    const zones = ctx.zones;
    for (let i = 0; i < zones.length; i++) {
      const z = zones[i]!;
      if (z.kind === 'exclusion') {
        const r = rules.exclusion;
        const d = -compileShape(z.shape, z.id).signedDistance(lon, lat); // allowed = outside the zone
        const active = r.applicability !== 'not_applicable' && (!z.schedule || compiledScheduleActive(compileSchedule(z.schedule), t));
        verdicts.push(verdict('exclusion_zone', z.id, statusOf(d, acc), active, d, r, undefined));
      } else if (z.kind === 'curfew_home') {
        const r = rules.curfew;
        const d = compileShape(z.shape, z.id).signedDistance(lon, lat);
        let active = r.applicability !== 'not_applicable' && (!z.schedule || compiledScheduleActive(compileSchedule(z.schedule), t));
        let permitId: string | undefined;
        // A valid permit suspends the curfew while the client is away from the residence unit.
        if (active && valid && !inRes) {
          active = false;
          permitId = valid[0]!.id;
        }
        verdicts.push(verdict('curfew', z.id, statusOf(d, acc), active, d, r, permitId));
      }
    }
    return { unitId, inCountry, verdicts };
  }

  function prepare(unitIds?: string[]): void {
    countryField();
    for (const id of unitIds ?? [...byId.keys()]) {
      const e = byId.get(id);
      if (!e) throw new Error(`unknown unit ${id}`);
      fieldOf(e);
    }
  }

  function indexBytes(): number {
    let b = 0;
    for (const g of grids) b += g.byteLength();
    if (country) b += country.byteLength();
    for (const e of byId.values()) if (e.field) b += e.field.byteLength();
    return b;
  }

  return { locate, evaluate, signedDistanceToUnit, prepare, indexBytes };
}

function statusOf(d: number, acc: number): RuleStatus {
  return Math.abs(d) <= acc ? 'uncertain' : d < 0 ? 'inside' : 'outside';
}

function ruleInfo(rule: GeofenceRuleKind, regime: RegimeKind): RuleInfo {
  const g = geofenceRule(rule, regime);
  return { applicability: g.applicability, alertType: g.alertType, severity: g.severity, articles: Object.freeze([...g.articles]) };
}

function verdict(
  rule: RuleVerdict['rule'],
  ruleId: string,
  status: RuleStatus,
  active: boolean,
  distanceM: number,
  r: RuleInfo,
  permitId: string | undefined,
): RuleVerdict {
  const v: RuleVerdict = {
    rule,
    ruleId,
    status,
    active,
    distanceM,
    alertType: r.alertType,
    severity: r.severity,
    articles: r.articles as string[], // frozen, shared between verdicts
  };
  if (permitId !== undefined) v.permitId = permitId;
  return v;
}

function concatSegments(list: SegmentList[]): SegmentList {
  let n = 0;
  for (const s of list) n += s.count;
  const coords = new Float64Array(n * 4);
  let o = 0;
  for (const s of list) {
    coords.set(s.coords.subarray(0, s.count * 4), o);
    o += s.count * 4;
  }
  return { coords, count: n };
}
