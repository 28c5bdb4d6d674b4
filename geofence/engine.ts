/**
 * The geofence engine: point location in the admin units and the four place rules.
 * Pure: no I/O, no clock; the fix's device time is the only time.
 */
import type { AdminUnit, Fix, Permit } from '../infra/domain/types.ts';
import type { GeofenceRuleKind } from '../infra/domain/legal.ts';
import { geofenceRule, isForeignDestination } from '../infra/domain/legal.ts';
import { AreaGrid } from './area-grid.ts';
import type { BBox, SegmentList } from './geo.ts';
import { emptyBBox, extendBBox, segmentsOfRings } from './geo.ts';
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
  let countryField: DistanceField | null = null;
  const country = (): DistanceField => (countryField ??= new DistanceField(countrySegs, territory));
  const fieldOf = (e: UnitEntry): DistanceField => (e.field ??= new DistanceField(e.segs, territory));

  const gridOfLevel = (lvl: number): AreaGrid => grids[lvl]!;

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

  const ruleInfoCache = new Map<string, RuleInfo>();
  function ruleInfo(rule: GeofenceRuleKind, regime: SupervisionContext['regime']): RuleInfo {
    const key = `${rule}|${regime}`;
    let r = ruleInfoCache.get(key);
    if (!r) {
      const g = geofenceRule(rule, regime);
      r = { applicability: g.applicability, alertType: g.alertType, severity: g.severity, articles: g.articles };
      ruleInfoCache.set(key, r);
    }
    return r;
  }

  function evaluate(ctx: SupervisionContext, fix: Fix): Evaluation {
    const { lon, lat, deviceTime: t } = fix;
    const acc = Math.max(0, Number.isFinite(fix.accuracyM) ? fix.accuracyM : 0) * opts.uncertaintyFactor;
    const status = (d: number): RuleStatus => (Math.abs(d) <= acc ? 'uncertain' : d < 0 ? 'inside' : 'outside');

    const u2 = grid2.locate(lon, lat);
    const inCountry = grid0.locate(lon, lat) >= 0;
    const unitId = u2 >= 0 ? level2[u2]!.id : null;
    const verdicts: RuleVerdict[] = [];

    // Permits valid at the fix's device time (inclusive bounds).
    let valid: Permit[] | null = null;
    for (const p of ctx.permits) {
      if (p.validFrom <= t && t <= p.validUntil) (valid ??= []).push(p);
    }

    // Country: signed distance to the country (negative inside), computed lazily.
    let dCountry = NaN;
    const countryDist = (): number => {
      if (Number.isNaN(dCountry)) {
        const d = country().distance(lon, lat);
        dCountry = inCountry ? -d : d;
      }
      return dCountry;
    };

    const countryRule = ruleInfo('country_border', ctx.regime);
    const abroadPermit = countryRule.applicability === 'unless_permitted' && valid ? valid.find((p) => p.destinationUnitIds.some(isForeignDestination)) : undefined;

    // --- residence unit -------------------------------------------------------------------
    {
      const r = ruleInfo('residence_unit', ctx.regime);
      const res = byId.get(ctx.residenceUnitId);
      if (!res) throw new Error(`unknown residence unit ${ctx.residenceUnitId}`);
      const inRes = res.unit.level === 2 ? u2 === res.slot : gridOfLevel(res.unit.level).locate(lon, lat) === res.slot;
      const dRes = fieldOf(res).distance(lon, lat);
      let d = inRes ? -dRes : dRes;
      let permitId: string | undefined;
      if (r.applicability === 'unless_permitted' && valid) {
        for (const p of valid) {
          for (const dest of p.destinationUnitIds) {
            let dd: number;
            if (isForeignDestination(dest)) {
              if (p !== abroadPermit) continue;
              dd = -countryDist(); // abroad is allowed: distance to "not the country"
            } else {
              const e = byId.get(dest);
              if (!e) continue; // unknown unit id: ignored (import-time validation is the caller's)
              const dist = fieldOf(e).distance(lon, lat);
              const inside = e.unit.level === 2 ? u2 === e.slot : gridOfLevel(e.unit.level).locate(lon, lat) === e.slot;
              dd = inside ? -dist : dist;
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
        // The permit is only credited when the residence unit alone would not allow the position.
        if (inRes || d >= 0) permitId = undefined;
      }
      verdicts.push(verdict('residence_unit', 'residence', status(d), r.applicability !== 'not_applicable', d, r, permitId));
    }

    // --- country border ---------------------------------------------------------------------
    {
      const r = countryRule;
      let d = countryDist();
      let permitId: string | undefined;
      if (abroadPermit) {
        // Inside or abroad are both allowed: the allowed area is everywhere. Report the distance to
        // the border as a depth (negative) so that the verdict is 'inside' and never uncertain.
        permitId = inCountry ? undefined : abroadPermit.id;
        d = -Math.abs(d);
        verdicts.push(verdict('country_border', 'country', 'inside', true, d, r, permitId));
      } else {
        verdicts.push(verdict('country_border', 'country', status(d), r.applicability !== 'not_applicable', d, r, permitId));
      }
    }

    // --- zones ------------------------------------------------------------------------------
    let awayOnPermit: Permit | undefined;
    let awayChecked = false;
    for (const z of ctx.zones) {
      if (z.kind === 'exclusion') {
        const r = ruleInfo('exclusion_zone', ctx.regime);
        const dz = compileShape(z.shape, `zone ${z.id}`).signedDistance(lon, lat);
        const d = -dz; // allowed area = outside the zone
        const active = r.applicability !== 'not_applicable' && (!z.schedule || compiledScheduleActive(compileSchedule(z.schedule), t));
        verdicts.push(verdict('exclusion_zone', z.id, status(d), active, d, r, undefined));
      } else if (z.kind === 'curfew_home') {
        const r = ruleInfo('curfew', ctx.regime);
        const d = compileShape(z.shape, `zone ${z.id}`).signedDistance(lon, lat);
        let active = r.applicability !== 'not_applicable' && (!z.schedule || compiledScheduleActive(compileSchedule(z.schedule), t));
        let permitId: string | undefined;
        if (active && valid) {
          // A valid permit suspends the curfew while the client is away from the residence unit.
          if (!awayChecked) {
            awayChecked = true;
            const res = byId.get(ctx.residenceUnitId)!;
            const inRes = res.unit.level === 2 ? u2 === res.slot : gridOfLevel(res.unit.level).locate(lon, lat) === res.slot;
            if (!inRes) awayOnPermit = valid[0];
          }
          if (awayOnPermit) {
            active = false;
            permitId = awayOnPermit.id;
          }
        }
        verdicts.push(verdict('curfew', z.id, status(d), active, d, r, permitId));
      }
    }
    return { unitId, inCountry, verdicts };
  }

  function prepare(unitIds?: string[]): void {
    country();
    for (const id of unitIds ?? [...byId.keys()]) {
      const e = byId.get(id);
      if (!e) throw new Error(`unknown unit ${id}`);
      fieldOf(e);
    }
  }

  function indexBytes(): number {
    let b = 0;
    for (const g of grids) b += g.byteLength();
    if (countryField) b += countryField.byteLength();
    for (const e of byId.values()) if (e.field) b += e.field.byteLength();
    return b;
  }

  return { locate, evaluate, signedDistanceToUnit, prepare, indexBytes };
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
    articles: r.articles.slice(),
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
