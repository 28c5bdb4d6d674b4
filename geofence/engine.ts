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
import { DEG, emptyBBox, extendBBoxBySegments, segmentsOfRings } from './geo.ts';

// Module-local copy: imported bindings may compile to getters (tsx).
const RAD = DEG;
import { DistanceField } from './distance-field.ts';
import type { SignedShape } from './shapes.ts';
import { compileCorridor, compileShape, ringsOf, validateAreaGeometry, validateWithTurf } from './shapes.ts';
import type { CompiledSchedule } from './schedule.ts';
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

interface CompiledZone {
  id: string;
  exclusion: boolean;
  shape: SignedShape;
  schedule: CompiledSchedule | null;
}

interface CompiledPermit {
  p: Permit;
  /** Has a destination that is not a Kyrgyz unit (legal.ts isForeignDestination). */
  foreign: boolean;
  /** Known destination units in order; null marks a foreign destination. */
  dests: (UnitEntry | null)[];
  corridor: SignedShape | null;
}

/** Per-context data that does not depend on the fix (see compiledContext). */
interface CompiledContext {
  regime: RegimeKind;
  residenceUnitId: string;
  /** The context's parts the compiled form was made from (identity), see contextRefs. */
  refs: unknown[];
  rules: RegimeRules;
  residenceActive: boolean;
  residencePermits: boolean;
  countryActive: boolean;
  countryPermits: boolean;
  exclusionActive: boolean;
  curfewActive: boolean;
  res: UnitEntry;
  zones: CompiledZone[];
  permits: CompiledPermit[];
}

const ZONE_REFS = 5;
const PERMIT_REFS = 4;

/** The parts of a context a compiled form depends on, flat: zones then permits. */
function contextRefs(ctx: SupervisionContext): unknown[] {
  const r: unknown[] = [];
  for (const z of ctx.zones) r.push(z, z.kind, z.id, z.shape, z.schedule);
  for (const p of ctx.permits) r.push(p, p.id, p.destinationUnitIds, p.corridor);
  return r;
}

/** Is the compiled form still that of ctx? Identity checks only, no allocation. */
function stillMatches(c: CompiledContext, ctx: SupervisionContext): boolean {
  if (c.regime !== ctx.regime || c.residenceUnitId !== ctx.residenceUnitId) return false;
  const r = c.refs;
  const zs = ctx.zones;
  const ps = ctx.permits;
  if (r.length !== zs.length * ZONE_REFS + ps.length * PERMIT_REFS) return false;
  for (let i = 0; i < zs.length; i++) {
    const z = zs[i]!;
    const o = i * ZONE_REFS;
    if (r[o] !== z || r[o + 1] !== z.kind || r[o + 2] !== z.id || r[o + 3] !== z.shape || r[o + 4] !== z.schedule) return false;
  }
  const b = zs.length * ZONE_REFS;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const o = b + i * PERMIT_REFS;
    if (r[o] !== p || r[o + 1] !== p.id || r[o + 2] !== p.destinationUnitIds || r[o + 3] !== p.corridor) return false;
  }
  return true;
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
  for (const e of byId.values()) extendBBoxBySegments(territory, e.segs);
  const MARGIN_DEG = 1;
  territory[0] -= MARGIN_DEG;
  territory[1] -= MARGIN_DEG;
  territory[2] += MARGIN_DEG;
  territory[3] += MARGIN_DEG;

  // The country boundary = all level-0 rings (normally one unit).
  const countrySegs = concatSegments(levels[0]!.map((u) => byId.get(u.id)!.segs));
  let country: DistanceField | null = null;
  function countryField(): DistanceField {
    // the country's field also records, for leaves away from the border, whether they are inside
    return (country ??= new DistanceField(countrySegs, territory, {}, (x, y) => grid0.locate(x, y) >= 0));
  }
  function fieldOf(e: UnitEntry): DistanceField {
    // a single level-0 unit is the country: share its field
    if (!e.field) e.field = e.unit.level === 0 && levels[0]!.length === 1 ? countryField() : new DistanceField(e.segs, territory);
    return e.field;
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

  /**
   * Everything about a context that does not depend on the fix, resolved once per context object
   * (WeakMap) and re-resolved when the context's fields or arrays change (checked by identity on
   * every call, O(zones + permits)): rule data, residence entry, compiled zone shapes and
   * schedules, permit destinations and corridors.
   */
  const compiledContexts = new WeakMap<SupervisionContext, CompiledContext>();
  // the last context evaluated (a stream of fixes of one client): skips the WeakMap lookup
  let lastCtx: SupervisionContext | null = null;
  let lastCompiled: CompiledContext | null = null;
  // Most clients have no zones and no permits: their compiled form depends on the regime and the
  // residence unit alone, so clients of one district share one (no per-client entry at all).
  const plainContexts = new Map<string, Map<string, CompiledContext>>();
  function compiledContext(ctx: SupervisionContext): CompiledContext {
    if (ctx === lastCtx && stillMatches(lastCompiled!, ctx)) return lastCompiled!;
    if (ctx.zones.length === 0 && ctx.permits.length === 0) {
      const shared = plainContexts.get(ctx.regime)?.get(ctx.residenceUnitId) ?? compilePlain(ctx);
      lastCtx = ctx;
      lastCompiled = shared;
      return shared;
    }
    const hit = compiledContexts.get(ctx);
    if (hit && stillMatches(hit, ctx)) {
      lastCtx = ctx;
      lastCompiled = hit;
      return hit;
    }
    const c = compile(ctx);
    compiledContexts.set(ctx, c);
    lastCtx = ctx;
    lastCompiled = c;
    return c;
  }
  function compilePlain(ctx: SupervisionContext): CompiledContext {
    const c = compile(ctx);
    let byUnit = plainContexts.get(ctx.regime);
    if (!byUnit) plainContexts.set(ctx.regime, (byUnit = new Map()));
    byUnit.set(ctx.residenceUnitId, c);
    return c;
  }
  function compile(ctx: SupervisionContext): CompiledContext {
    const rules = rulesByRegime.get(ctx.regime);
    if (!rules) throw new Error(`unknown regime ${String(ctx.regime)}`);
    const res = byId.get(ctx.residenceUnitId);
    if (!res) throw new Error(`unknown residence unit ${ctx.residenceUnitId}`);
    const zones: CompiledZone[] = [];
    for (const z of ctx.zones) {
      if (z.kind !== 'exclusion' && z.kind !== 'curfew_home') continue;
      zones.push({
        id: z.id,
        exclusion: z.kind === 'exclusion',
        shape: compileShape(z.shape, z.id),
        schedule: z.schedule ? compileSchedule(z.schedule) : null,
      });
    }
    const permits: CompiledPermit[] = [];
    for (const p of ctx.permits) {
      const dests: (UnitEntry | null)[] = [];
      let foreign = false;
      for (const dest of p.destinationUnitIds) {
        if (isForeignDestination(dest)) {
          foreign = true;
          dests.push(null); // null: the foreign destination ("not the country")
        } else {
          const e = byId.get(dest);
          if (e) dests.push(e); // unknown unit id: ignored (validated where permits are approved)
        }
      }
      permits.push({ p, foreign, dests, corridor: p.corridor ? compileCorridor(p.corridor) : null });
    }
    return {
      regime: ctx.regime,
      residenceUnitId: ctx.residenceUnitId,
      refs: contextRefs(ctx),
      rules,
      residenceActive: rules.residence.applicability !== 'not_applicable',
      residencePermits: rules.residence.applicability === 'unless_permitted',
      countryActive: rules.country.applicability !== 'not_applicable',
      countryPermits: rules.country.applicability === 'unless_permitted',
      exclusionActive: rules.exclusion.applicability !== 'not_applicable',
      curfewActive: rules.curfew.applicability !== 'not_applicable',
      res,
      zones,
      permits,
    };
  }

  function evaluate(ctx: SupervisionContext, fix: Fix): Evaluation {
    // No closures in here: tsx/esbuild wraps every function expression in a naming helper.
    const lon = fix.lon;
    const lat = fix.lat;
    const t = fix.deviceTime;
    const acc = (fix.accuracyM > 0 ? fix.accuracyM : 0) * opts.uncertaintyFactor;
    const cc = compiledContext(ctx);
    const rules = cc.rules;

    // Random fixes are bound by memory latency: find the country's and the residence unit's
    // leaf records first (each reads its record's first line) and locate the level-2 unit, so
    // that these independent cache misses overlap; the scans below then find the lines loaded.
    const res = cc.res;
    const cf = countryField();
    const rf = fieldOf(res);
    const sC = cf.leafAt(lon, lat);
    const side = cf.lastSide;
    const sR = rf.leafAt(lon, lat);
    const u2 = grid2.locate(lon, lat);
    const unitId = u2 >= 0 ? level2[u2]!.id : null;
    // exact size (residence, country, one per compiled zone): no backing-store growth
    const verdicts: RuleVerdict[] = new Array<RuleVerdict>(2 + cc.zones.length);
    const latR = lat * RAD;
    const cosP = Math.cos(latR);
    const sinHalf = (Math.sin(latR) * RAD) / 2;

    // Permits valid at the fix's device time (bounds inclusive): counted, not collected.
    const permits = cc.permits;
    let nValid = 0;
    let firstValid: CompiledPermit | null = null;
    // Deferred sentence: a valid permit with a foreign destination allows being abroad (160^3(2)(5)).
    let abroad: CompiledPermit | null = null;
    for (let i = 0; i < permits.length; i++) {
      const cp = permits[i]!;
      if (cp.p.validFrom <= t && t <= cp.p.validUntil) {
        nValid++;
        firstValid ??= cp;
        if (cp.foreign && !abroad && cc.countryPermits) abroad = cp;
      }
    }

    // Country: signed distance to the country (negative inside).
    const dc = sC < 0 ? cf.exactDistance(lon, lat) : cf.distanceInLeaf(sC, lon, lat, cosP, sinHalf);
    // away from the border the field knows the side; near it, exact point location
    const inCountry = side !== 0 ? side > 0 : grid0.locate(lon, lat) >= 0;
    const dCountry = inCountry ? -dc : dc;

    // --- residence unit -------------------------------------------------------------------
    const inRes = inUnit(res, u2, lon, lat);
    {
      const r = rules.residence;
      const dRes = sR < 0 ? rf.exactDistance(lon, lat) : rf.distanceInLeaf(sR, lon, lat, cosP, sinHalf);
      let d = inRes ? -dRes : dRes;
      let permitId: string | undefined;
      if (nValid > 0 && cc.residencePermits) {
        for (let i = 0; i < permits.length; i++) {
          const cp = permits[i]!;
          const p = cp.p;
          if (!(p.validFrom <= t && t <= p.validUntil)) continue;
          const ds = cp.dests;
          for (let k = 0; k < ds.length; k++) {
            const e = ds[k]!;
            let dd: number;
            if (e === null) {
              if (cp !== abroad) continue;
              dd = -dCountry; // abroad is allowed: signed distance to "not the country"
            } else {
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
          if (cp.corridor) {
            const dd = cp.corridor.signedDistanceAt(lon, lat, cosP, sinHalf);
            if (dd < d) {
              d = dd;
              permitId = p.id;
            }
          }
        }
        // Credit the permit only when the residence unit alone would not allow the position.
        if (inRes || d >= 0) permitId = undefined;
      }
      verdicts[0] = verdict('residence_unit', 'residence', statusOf(d, acc), cc.residenceActive, d, r, permitId);
    }

    // --- country border ---------------------------------------------------------------------
    {
      const r = rules.country;
      if (abroad) {
        // Both the country and abroad are allowed: report the border distance as a depth so the
        // verdict is 'inside', never uncertain; credit the permit when abroad.
        verdicts[1] = verdict('country_border', 'country', 'inside', true, -Math.abs(dCountry), r, inCountry ? undefined : abroad.p.id);
      } else {
        verdicts[1] = verdict('country_border', 'country', statusOf(dCountry, acc), cc.countryActive, dCountry, r, undefined);
      }
    }

    // --- zones ------------------------------------------------------------------------------
    const zones = cc.zones;
    for (let i = 0; i < zones.length; i++) {
      const z = zones[i]!;
      const d0 = z.shape.signedDistanceAt(lon, lat, cosP, sinHalf);
      if (z.exclusion) {
        const d = -d0; // allowed = outside the zone
        const active = cc.exclusionActive && (z.schedule === null || compiledScheduleActive(z.schedule, t));
        verdicts[2 + i] = verdict('exclusion_zone', z.id, statusOf(d, acc), active, d, rules.exclusion, undefined);
      } else {
        let active = cc.curfewActive && (z.schedule === null || compiledScheduleActive(z.schedule, t));
        let permitId: string | undefined;
        // A valid permit suspends the curfew while the client is away from the residence unit.
        if (active && firstValid && !inRes) {
          active = false;
          permitId = firstValid.p.id;
        }
        verdicts[2 + i] = verdict('curfew', z.id, statusOf(d0, acc), active, d0, rules.curfew, permitId);
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

  function prepareContext(ctx: SupervisionContext): void {
    const cc = compiledContext(ctx);
    countryField();
    fieldOf(cc.res);
    for (const cp of cc.permits) for (const e of cp.dests) if (e) fieldOf(e);
  }

  function indexBytes(): number {
    let b = 0;
    for (const g of grids) b += g.byteLength();
    if (country) b += country.byteLength();
    for (const e of byId.values()) if (e.field && e.field !== country) b += e.field.byteLength();
    return b;
  }

  return { locate, evaluate, signedDistanceToUnit, prepare, prepareContext, indexBytes };
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
