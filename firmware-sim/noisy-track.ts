/**
 * Noisy ankle-tag tracks near real KGZ boundary lines, for the detection benchmark
 * (ingest/bench/detection.bench.ts) and for analysts who want replay files with a known truth.
 * Pure apart from the seeds: the same seed, sites and schedule give the same fixes.
 *
 * Receiver error (per axis, east and north): a first-order Gauss-Markov process with correlation
 * time tau (120 s), discretised exactly for any step,
 *
 *   u_k = u_{k-1} exp(-dt/tau) + sqrt(1 - exp(-2 dt/tau)) N(0,1),     e_k = sigma_k u_k,
 *
 * so u is stationary with unit variance and the error has std sigma_k whatever the reporting
 * interval (60 s, or 15 s while the platform asks for it). sigma_k follows the track's typical
 * sigma within +-20 % (a slow multiplier, itself Gauss-Markov with a 10 min correlation time), and
 * the reported accuracy is the honest 68 % radius of that sigma, RADIUS68_PER_SIGMA * sigma_k
 * (1.5096 sigma, rounded up to 0.1 m). Multipath: with probability 1/200 a fix is displaced
 * 100-300 m in a random direction and still reports its normal radius; the Gauss-Markov state is
 * not disturbed by it.
 *
 * Lines ("sites") are points of the shipped level-2 boundaries where the line is locally straight,
 * checked with the engine's own signed distance, in three families:
 * - district: between two level-2 units (the residence unit is the one the client lives in);
 * - border: the state border (level 0); the residence unit is the adjacent level-2 unit, and the
 *   rule that counts is the country's;
 * - lake: the Issyk-Kul shore (the lake belongs to no level-2 unit); an exit is a boat trip.
 *
 * Kinds of track: stationary inside tags (5-60 m inside the line, a few metres of wander, for
 * days), walking and driving exits (after >= 10 min at rest inside, crossing at 30-90 degrees to
 * the line, then >= 10 min and >= 300 m beyond), and late store-and-forward batches (the link
 * drops, the client goes out for >= 10 min and comes back, the link returns, and the buffered
 * fixes arrive in one batch after a few live fixes already show the client home).
 */
import type { AdminUnit, LonLat } from '../infra/domain/types.ts';
import type { GeofenceEngine } from '../geofence/types.ts';
import { ringsOf } from '../geofence/shapes.ts';
import { gaussian, hashSeed, prng } from '../infra/random/seeded-random.ts';
import { distanceM, lerp, offset } from './geo-math.ts';
import { RADIUS68_PER_SIGMA } from './accuracy-model.ts';

// ---------------------------------------------------------------------------------------------
// Receiver
// ---------------------------------------------------------------------------------------------

export interface ReceiverOptions {
  /** Typical reported 68 % radius of the track, metres. */
  accM: number;
  /** Correlation time of the position error, seconds. */
  tauS?: number;
  /** Probability that one fix is a multipath outlier. */
  outlierRate?: number;
  /** Outlier displacement range, metres. */
  outlierM?: [number, number];
  /** Largest relative change of sigma around the typical one (0.2 = +-20 %). */
  jitter?: number;
  /** Correlation time of sigma's variation, seconds. */
  jitterTauS?: number;
}

export const DEFAULT_TAU_S = 120;
export const DEFAULT_OUTLIER_RATE = 1 / 200;

export interface NoisyFix {
  /** Device time, epoch ms. */
  t: number;
  lon: number;
  lat: number;
  /** Reported 68 % radius, metres (honest for non-outliers). */
  acc: number;
  src: 'gps';
  /** For tests and analysis, never sent: sigma of this fix, the Gauss-Markov error (m), outlier or not. */
  sigmaM: number;
  errE: number;
  errN: number;
  outlier: boolean;
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * One receiver: samples fixes at increasing device times (any spacing). The error state advances
 * with the time since the previous fix, so the same receiver serves a fixed and an adaptive schedule.
 */
export class NoisyReceiver {
  readonly sigma0: number;
  private readonly rand: () => number;
  private readonly tauS: number;
  private readonly outlierRate: number;
  private readonly outlierM: [number, number];
  private readonly jitter: number;
  private readonly jitterTauS: number;
  private uE: number;
  private uN: number;
  private v: number;
  private lastT: number | null = null;

  constructor(seed: number, opts: ReceiverOptions) {
    this.rand = prng(seed);
    this.sigma0 = opts.accM / RADIUS68_PER_SIGMA;
    this.tauS = opts.tauS ?? DEFAULT_TAU_S;
    this.outlierRate = opts.outlierRate ?? DEFAULT_OUTLIER_RATE;
    this.outlierM = opts.outlierM ?? [100, 300];
    this.jitter = opts.jitter ?? 0.2;
    this.jitterTauS = opts.jitterTauS ?? 600;
    // start in the stationary distribution
    this.uE = gaussian(this.rand);
    this.uN = gaussian(this.rand);
    this.v = gaussian(this.rand);
  }

  /** sigma of a fix for the multiplier state v: within +-jitter of sigma0 (v/2 clipped to +-1). */
  private sigmaOf(v: number): number {
    return this.sigma0 * (1 + this.jitter * Math.max(-1, Math.min(1, v / 2)));
  }

  /** Advances the error to device time t (ms, increasing) and reports a fix of the true position. */
  sample(t: number, truth: LonLat): NoisyFix {
    if (this.lastT !== null) {
      if (t < this.lastT) throw new Error(`NoisyReceiver: time went backwards (${t} < ${this.lastT})`);
      const dt = (t - this.lastT) / 1000;
      const r = Math.exp(-dt / this.tauS);
      const q = Math.sqrt(1 - r * r);
      this.uE = this.uE * r + q * gaussian(this.rand);
      this.uN = this.uN * r + q * gaussian(this.rand);
      const rv = Math.exp(-dt / this.jitterTauS);
      this.v = this.v * rv + Math.sqrt(1 - rv * rv) * gaussian(this.rand);
    }
    this.lastT = t;
    const sigma = this.sigmaOf(this.v);
    const errE = sigma * this.uE;
    const errN = sigma * this.uN;
    let [lon, lat] = offset(truth, errE, errN);
    // always draw, so that the outlier stream does not shift the error stream
    const o = this.rand();
    const dist = this.outlierM[0] + (this.outlierM[1] - this.outlierM[0]) * this.rand();
    const dir = 2 * Math.PI * this.rand();
    const outlier = o < this.outlierRate;
    if (outlier) [lon, lat] = offset([lon, lat], Math.sin(dir) * dist, Math.cos(dir) * dist);
    const acc = Math.ceil(sigma * RADIUS68_PER_SIGMA * 10) / 10;
    return { t, lon: round7(lon), lat: round7(lat), acc, src: 'gps', sigmaM: sigma, errE, errN, outlier };
  }
}

// ---------------------------------------------------------------------------------------------
// Local frame
// ---------------------------------------------------------------------------------------------

const M_PER_DEG_LAT = 111_320; // as geo-math.offset
type Vec = [e: number, n: number];

/** East/north metres of p from origin (inverse of geo-math.offset). */
export function toLocal(origin: LonLat, p: LonLat): Vec {
  return [(p[0] - origin[0]) * M_PER_DEG_LAT * Math.cos((origin[1] * Math.PI) / 180), (p[1] - origin[1]) * M_PER_DEG_LAT];
}

const along = (p: LonLat, t: Vec, s: number, n: Vec, u: number): LonLat => offset(p, t[0] * s + n[0] * u, t[1] * s + n[1] * u);

// ---------------------------------------------------------------------------------------------
// Sites: locally straight stretches of real lines
// ---------------------------------------------------------------------------------------------

export type LineFamily = 'district' | 'border' | 'lake';
export const LINE_FAMILIES: readonly LineFamily[] = ['district', 'border', 'lake'];
export type TruthRule = 'residence_unit' | 'country_border';

export interface LineSite {
  family: LineFamily;
  /** The client's residence unit (level 2). */
  unitId: string;
  /** Level-2 unit beyond the line (district family), null otherwise. */
  otherUnitId: string | null;
  /** The unit whose boundary the rule that counts is about: the residence unit, or 'KG'. */
  ruleUnitId: string;
  rule: TruthRule;
  /** A point on the line, its unit tangent and its unit normal pointing out (east, north). */
  point: LonLat;
  tangent: Vec;
  normal: Vec;
}

export interface SiteOptions {
  /** Level-2 units whose rings are scanned. */
  unitIds: readonly string[];
  /** Spacing of candidate points along each ring, metres. */
  spacingM?: number;
  /** The country unit id (level 0). */
  countryId?: string;
  /** Where the lake shore is looked for: [minLon, minLat, maxLon, maxLat]. */
  lakeBox?: [number, number, number, number];
}

/** Issyk-Kul: the shore rings lie within this box. */
export const ISSYK_KUL_BOX: [number, number, number, number] = [76.0, 42.1, 78.5, 42.7];

/**
 * Level-2 units the benchmark draws its lines from: the Chui valley (district lines, the Kazakh
 * border along the Chu), the Issyk-Kul shore districts, and Osh with its neighbours (the Uzbek
 * border). A subset, because each unit's distance index costs 0.1-0.7 s to build.
 */
export const SITE_UNITS: readonly string[] = [
  'KG11000000000', // Bishkek
  'KG08203000000', // Alamudun
  'KG08222000000', // Sokuluk
  'KG08223000000', // Chui
  'KG08217000000', // Moscow
  'KG08206000000', // Ysyk-Ata
  'KG08400000010', // Tokmok (city)
  'KG02215000000', // Issyk-Kul
  'KG02420000010', // Balykchy (city)
  'KG02220000000', // Ton
  'KG02205000000', // Ak-Suu
  'KG02225000000', // Tup
  'KG21000000000', // Osh (city)
  'KG06226000000', // Kara-Suu
  'KG06211000000', // Aravan
];

const HALF_CHORD_M = 250;
const CHORD_DEVIATION_M = 5;

/**
 * Every locally straight candidate point along the units' rings, by family. Checked with the
 * engine: the signed distance at points -60..+100 m across the line (and 150 m either way along
 * it) equals the offset within a few metres, and the far side is what the family says (another
 * level-2 unit in the country; abroad; the lake, in no level-2 unit).
 */
export function findSites(engine: GeofenceEngine, units: readonly AdminUnit[], opts: SiteOptions): Record<LineFamily, LineSite[]> {
  const spacing = opts.spacingM ?? 500;
  const countryId = opts.countryId ?? 'KG';
  const box = opts.lakeBox ?? ISSYK_KUL_BOX;
  const out: Record<LineFamily, LineSite[]> = { district: [], border: [], lake: [] };
  const byId = new Map(units.map((u) => [u.id, u]));
  for (const unitId of opts.unitIds) {
    const unit = byId.get(unitId);
    if (!unit || unit.level !== 2) throw new Error(`findSites: ${unitId} is not a level-2 unit`);
    for (const ring of ringsOf(unit.geometry)) {
      const pts = ring as unknown as LonLat[];
      const cum = [0];
      for (let i = 1; i < pts.length; i++) cum.push(cum[i - 1]! + distanceM(pts[i - 1]!, pts[i]!));
      const total = cum[cum.length - 1]!;
      for (let s = HALF_CHORD_M + spacing / 2; s < total - HALF_CHORD_M; s += spacing) {
        const site = checkSite(engine, unitId, pts, cum, s, countryId, box);
        if (site) out[site.family].push(site);
      }
    }
  }
  return out;
}

function arcPoint(pts: LonLat[], cum: number[], s: number): { p: LonLat; i: number } {
  let lo = 0;
  let hi = cum.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const len = cum[hi]! - cum[lo]!;
  return { p: lerp(pts[lo]!, pts[hi]!, len > 0 ? (s - cum[lo]!) / len : 0), i: lo };
}

function checkSite(engine: GeofenceEngine, unitId: string, pts: LonLat[], cum: number[], s: number, countryId: string, box: number[]): LineSite | null {
  const { p } = arcPoint(pts, cum, s);
  const a = arcPoint(pts, cum, s - HALF_CHORD_M);
  const b = arcPoint(pts, cum, s + HALF_CHORD_M);
  const la = toLocal(p, a.p);
  const lb = toLocal(p, b.p);
  const len = Math.hypot(lb[0] - la[0], lb[1] - la[1]);
  if (len < 1.8 * HALF_CHORD_M) return null; // folded back on itself
  const t: Vec = [(lb[0] - la[0]) / len, (lb[1] - la[1]) / len];
  // ring vertices between a and b, and p itself, must lie near the chord
  const dev = (q: LonLat) => {
    const l = toLocal(p, q);
    return Math.abs((l[0] - la[0]) * t[1] - (l[1] - la[1]) * t[0]);
  };
  if (dev(p) > CHORD_DEVIATION_M) return null;
  for (let k = a.i + 1; k <= b.i; k++) if (dev(pts[k]!) > CHORD_DEVIATION_M) return null;
  let n: Vec = [t[1], -t[0]];
  const sdRes = (q: LonLat) => engine.signedDistanceToUnit(unitId, q[0], q[1]);
  if (sdRes(along(p, t, 0, n, 40)) < 0) n = [-n[0], -n[1]];
  // what lies beyond
  const beyond = [60, 150, 300].map((u) => engine.locate(...along(p, t, 0, n, u)));
  let family: LineFamily;
  let otherUnitId: string | null = null;
  const dCountry = engine.signedDistanceToUnit(countryId, p[0], p[1]);
  if (beyond.every((l) => !l.inCountry)) family = 'border';
  else if (beyond.every((l) => l.inCountry && l.unitId === null)) {
    if (!(p[0] >= box[0]! && p[1] >= box[1]! && p[0] <= box[2]! && p[1] <= box[3]!)) return null;
    family = 'lake';
  } else if (beyond.every((l) => l.inCountry && l.unitId !== null && l.unitId !== unitId && l.unitId === beyond[0]!.unitId)) {
    family = 'district';
    otherUnitId = beyond[0]!.unitId;
  } else return null;
  if (family !== 'border' && dCountry > -3000) return null;
  const ruleUnitId = family === 'border' ? countryId : unitId;
  const sdRule = (q: LonLat) => engine.signedDistanceToUnit(ruleUnitId, q[0], q[1]);
  for (const sAlong of [-150, 0, 150]) {
    for (const u of [-60, -30, -15, -5, 5, 15, 30, 100]) {
      const q = along(p, t, sAlong, n, u);
      if (Math.abs(sdRule(q) - u) > 4 + 0.04 * Math.abs(u)) return null;
      // the residence line must be the same line (border: the adjacent unit's edge)
      if (family === 'border' && Math.abs(sdRes(q) - u) > 6 + 0.05 * Math.abs(u)) return null;
    }
  }
  return { family, unitId, otherUnitId, ruleUnitId, rule: family === 'border' ? 'country_border' : 'residence_unit', point: p, tangent: t, normal: n };
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

export type TrackKind = 'inside' | 'walk_exit' | 'drive_exit' | 'late_batch';

/** The replay input without fixes (ingest/replay/replay-session.ts, ReplayInput). */
export interface NoisyReplayContext {
  client: { regime: 'probation_supervision'; residenceUnit: string; home: [number, number] };
  permits: { units: string[]; from: string; to: string }[];
  device: { id: string; intervalSec: number };
}

export interface CaseTruth {
  rule: TruthRule;
  /** First device time (1 s resolution) the true path is outside the rule's area. */
  crossingAt?: number;
  /** Late batches: first device time back inside. */
  returnAt?: number;
  /** Time the true path spends inside, ms (the false-alarm exposure). */
  insideMs: number;
}

export interface LatePlan {
  /** The link is down over [from, to): fixes are buffered. */
  from: number;
  to: number;
  /** The batch is delivered after this many live fixes after the link returned... */
  afterLiveFixes: number;
  /** ... this long after the last of them was delivered, ms. */
  extraMs: number;
  /** Delivered in shuffled order. */
  shuffle: boolean;
}

export interface DeliveredFix extends NoisyFix {
  deliveredAt: number;
  /** Delivered in the late batch. */
  buffered: boolean;
}

export interface Delivery {
  at: number;
  fixes: DeliveredFix[];
}

export interface CaseOptions {
  seed: number;
  /** Epoch ms around which tracks start (each case adds up to a day). */
  epoch?: number;
  /** Length of inside tags' tracks, days. */
  insideDays?: number;
  /** Plan interval, seconds. */
  intervalS?: number;
}

export const DEFAULT_EPOCH = Date.UTC(2026, 2, 2, 0, 0, 0);

/** Link delay of a live fix: 1-3 s. */
export const linkDelayMs = (rand: () => number) => 1000 + Math.round(2000 * rand());

export class TrackCase {
  private fixedCache: Delivery[] | null = null;

  constructor(
    readonly id: string,
    readonly kind: TrackKind,
    readonly family: LineFamily,
    readonly site: LineSite,
    readonly input: NoisyReplayContext,
    readonly truth: CaseTruth,
    readonly startAt: number,
    readonly endAt: number,
    /** Typical reported accuracy of the track, metres. */
    readonly accM: number,
    /** True start: metres inside the line (engine check). */
    readonly depthM: number,
    readonly seed: number,
    private readonly path: (t: number) => LonLat,
    /** Periods (device time) the true path is inside, [from, to). */
    readonly insidePeriods: [number, number][],
    readonly motion: { speedKmh: number; angleDeg: number; beyondM: number } | null,
    readonly late: LatePlan | null,
  ) {}

  truthAt(t: number): LonLat {
    return this.path(t);
  }

  /** A fresh receiver for this case (the same error process for every run). */
  receiver(): NoisyReceiver {
    return new NoisyReceiver(hashSeed(`${this.seed}:${this.id}:rx`), { accM: this.accM });
  }

  /** A fresh link-delay source. */
  linkRand(): () => number {
    return prng(hashSeed(`${this.seed}:${this.id}:link`));
  }

  /** Order of a late batch (the same for every run). */
  shuffleRand(): () => number {
    return prng(hashSeed(`${this.seed}:${this.id}:shuffle`));
  }

  /** Deliveries at the plan interval, in delivery order (the fixed-mode track). */
  get fixes(): Delivery[] {
    return (this.fixedCache ??= scheduleDeliveries(this, this.input.device.intervalSec));
  }
}

/** Fisher-Yates with a seeded source. */
export function shuffled<T>(xs: T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The deliveries of a case sampled every intervalS from its start: live fixes alone at t + link
 * delay, buffered ones (late plan) in one batch after the planned number of live fixes.
 */
export function scheduleDeliveries(c: TrackCase, intervalS: number): Delivery[] {
  const rx = c.receiver();
  const link = c.linkRand();
  const out: Delivery[] = [];
  const buffer: DeliveredFix[] = [];
  let liveAfter = 0;
  let batchDone = false;
  for (let t = c.startAt; t < c.endAt; t += intervalS * 1000) {
    const f = rx.sample(t, c.truthAt(t));
    const delay = linkDelayMs(link);
    if (c.late && t >= c.late.from && t < c.late.to) {
      buffer.push({ ...f, deliveredAt: NaN, buffered: true });
      continue;
    }
    const at = t + delay;
    out.push({ at, fixes: [{ ...f, deliveredAt: at, buffered: false }] });
    if (c.late && !batchDone && t >= c.late.to && ++liveAfter >= c.late.afterLiveFixes) {
      batchDone = true;
      out.push(batchDelivery(c, buffer, at + c.late.extraMs));
    }
  }
  if (c.late && !batchDone && buffer.length) out.push(batchDelivery(c, buffer, c.endAt));
  return out;
}

/** The late batch, delivered at `at` (shuffled when the plan says so). */
export function batchDelivery(c: TrackCase, buffer: DeliveredFix[], at: number): Delivery {
  const fixes = (c.late?.shuffle ? shuffled(buffer, c.shuffleRand()) : buffer).map((f) => ({ ...f, deliveredAt: at }));
  return { at, fixes };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A replay input document (docs/replay.md) of a case's deliveries, with the truth in an extra
 * `truth` field (the format ignores unknown fields).
 */
export function replayDocument(c: TrackCase, deliveries: Delivery[] = c.fixes): Record<string, unknown> {
  return {
    ...c.input,
    fixes: deliveries.flatMap((d) => d.fixes.map((f) => ({ t: iso(f.t), deliveredAt: iso(d.at), lon: f.lon, lat: f.lat, acc: f.acc, src: f.src }))),
    truth: {
      id: c.id,
      kind: c.kind,
      family: c.family,
      rule: c.truth.rule,
      ...(c.truth.crossingAt !== undefined ? { crossingAt: iso(c.truth.crossingAt) } : {}),
      ...(c.truth.returnAt !== undefined ? { returnAt: iso(c.truth.returnAt) } : {}),
      insideMs: c.truth.insideMs,
      accM: c.accM,
      depthM: Math.round(c.depthM * 10) / 10,
      ...(c.motion ? { speedKmh: Math.round(c.motion.speedKmh * 10) / 10, angleDeg: Math.round(c.motion.angleDeg), beyondM: Math.round(c.motion.beyondM) } : {}),
      ...(c.late ? { outageFrom: iso(c.late.from), outageTo: iso(c.late.to), shuffled: c.late.shuffle } : {}),
    },
  };
}

const MIN = 60_000;
const uniform = (rand: () => number, a: number, b: number) => a + (b - a) * rand();
/** Minutes drawn uniformly in [a, b], as whole seconds in ms. */
const minutes = (rand: () => number, a: number, b: number) => Math.round(uniform(rand, a, b) * 60) * 1000;

/** Piecewise-linear path through (time, point) knots; constant before the first and after the last. */
function knotPath(knots: { t: number; p: LonLat }[]): (t: number) => LonLat {
  return (t: number) => {
    if (t <= knots[0]!.t) return knots[0]!.p;
    for (let i = 1; i < knots.length; i++) {
      const k = knots[i]!;
      if (t < k.t) {
        const j = knots[i - 1]!;
        return k.t > j.t ? lerp(j.p, k.p, (t - j.t) / (k.t - j.t)) : k.p;
      }
    }
    return knots[knots.length - 1]!.p;
  };
}

/**
 * Generates one case of a kind on a family's lines. Deterministic in (opts.seed, kind, family,
 * index). Retries with new draws until the engine confirms the geometry (start 5-60 m inside,
 * a single crossing, the far part outside all the way).
 */
export function generateCase(engine: GeofenceEngine, sites: Record<LineFamily, LineSite[]>, kind: TrackKind, family: LineFamily, index: number, opts: CaseOptions): TrackCase {
  const list = sites[family];
  if (list.length === 0) throw new Error(`generateCase: no ${family} sites`);
  const id = `${kind}-${family}-${index}`;
  const rand = prng(hashSeed(`${opts.seed}:${id}`));
  const intervalS = opts.intervalS ?? 60;
  for (let attempt = 0; attempt < 200; attempt++) {
    const site = list[Math.floor(rand() * list.length)]!;
    const c = tryCase(engine, site, kind, id, rand, opts, intervalS);
    if (c) return c;
  }
  throw new Error(`generateCase: no valid geometry for ${id} after 200 attempts`);
}

function tryCase(engine: GeofenceEngine, site: LineSite, kind: TrackKind, id: string, rand: () => number, opts: CaseOptions, intervalS: number): TrackCase | null {
  const sdRule = (q: LonLat) => engine.signedDistanceToUnit(site.ruleUnitId, q[0], q[1]);
  const sdRes = (q: LonLat) => engine.signedDistanceToUnit(site.unitId, q[0], q[1]);
  const sdCountry = (q: LonLat) => engine.signedDistanceToUnit('KG', q[0], q[1]);
  const { point: P, tangent: T, normal: N } = site;
  const accM = Math.round(uniform(rand, 5, 60) * 10) / 10;
  const depth = uniform(rand, 5, 60);
  const startAt = (opts.epoch ?? DEFAULT_EPOCH) + Math.floor(rand() * 86_400) * 1000;
  const input = (home: LonLat): NoisyReplayContext => ({
    client: { regime: 'probation_supervision', residenceUnit: site.unitId, home: [round7(home[0]), round7(home[1])] },
    permits: [],
    device: { id: `bench-${id}`, intervalSec: intervalS },
  });
  const insideOk = (q: LonLat) => {
    const d = sdRule(q);
    return d >= -60 && d <= -5 && (site.family !== 'border' || sdRes(q) < 0);
  };

  if (kind === 'inside') {
    const s0 = uniform(rand, -100, 100);
    const home = along(P, T, s0, N, -depth);
    if (!insideOk(home)) return null;
    const measured = -sdRule(home);
    // wander: two slow sinusoids; across the line only as far as keeps the truth 5-60 m inside
    const aN = Math.max(0, Math.min(2, measured - 5.5, 59.5 - measured));
    const aT = 3;
    const ph = [0, 1, 2, 3].map(() => rand() * 2 * Math.PI);
    const per = [uniform(rand, 20, 60) * MIN, uniform(rand, 2, 6) * 60 * MIN];
    const path = (t: number): LonLat => {
      const x = t - startAt;
      const w1 = 0.6 * Math.sin((2 * Math.PI * x) / per[0]! + ph[0]!) + 0.4 * Math.sin((2 * Math.PI * x) / per[1]! + ph[1]!);
      const w2 = 0.6 * Math.sin((2 * Math.PI * x) / per[1]! + ph[2]!) + 0.4 * Math.sin((2 * Math.PI * x) / per[0]! + ph[3]!);
      // outward offset aN * w1: positive moves toward the line
      return along(home, T, aT * w2, N, aN * w1);
    };
    const endAt = startAt + Math.round((opts.insideDays ?? 1) * 86_400_000);
    return new TrackCase(id, kind, site.family, site, input(home), { rule: site.rule, insideMs: endAt - startAt }, startAt, endAt, accM, measured, opts.seed, path, [[startAt, endAt]], null, null);
  }

  // exits and late batches: rest inside, cross at an angle, go on beyond
  const walking = kind === 'walk_exit' || (kind === 'late_batch' && rand() < 0.5);
  const speedKmh = walking ? 5 : uniform(rand, 30, 60);
  const v = speedKmh / 3.6;
  const angle = uniform(rand, 30, 90);
  const th = (angle * Math.PI) / 180;
  const side = rand() < 0.5 ? 1 : -1;
  const dir: Vec = [Math.sin(th) * N[0] + side * Math.cos(th) * T[0], Math.sin(th) * N[1] + side * Math.cos(th) * T[1]];
  const beyond = walking ? uniform(rand, 300, 700) : uniform(rand, 300, 2500);
  const s0 = uniform(rand, -100, 100);
  const P0 = along(P, T, s0, N, 0);
  const S = offset(P0, (-depth / Math.sin(th)) * dir[0], (-depth / Math.sin(th)) * dir[1]);
  if (!insideOk(S)) return null;
  const pathLen = (depth + beyond) / Math.sin(th);
  const E = offset(S, pathLen * dir[0], pathLen * dir[1]);
  const restMs = minutes(rand, 10, 30);
  const moveAt = startAt + restMs;
  const arriveAt = moveAt + Math.round(pathLen / v) * 1000;
  const outside = (q: LonLat) => sdRule(q) > 0 && (site.family === 'border' || sdCountry(q) < 0);

  let knots: { t: number; p: LonLat }[];
  let endAt: number;
  let late: LatePlan | null = null;
  let backAt = 0;
  let homeAt = 0;
  if (kind === 'late_batch') {
    const stayMs = minutes(rand, 10, 25);
    backAt = arriveAt + stayMs;
    homeAt = backAt + (arriveAt - moveAt);
    knots = [
      { t: moveAt, p: S },
      { t: arriveAt, p: E },
      { t: backAt, p: E },
      { t: homeAt, p: S },
    ];
    const from = moveAt - minutes(rand, 1, 5);
    const to = homeAt + minutes(rand, 1, 5);
    late = { from, to, afterLiveFixes: 2 + Math.floor(rand() * 4), extraMs: 1000 + Math.round(rand() * 9000), shuffle: rand() < 0.5 };
    endAt = to + minutes(rand, 20, 30);
  } else {
    knots = [
      { t: moveAt, p: S },
      { t: arriveAt, p: E },
    ];
    endAt = 0; // after the crossing is known
  }
  const path = knotPath(knots);
  // truth: sample the moving part at 1 s
  let crossingAt: number | undefined;
  for (let t = moveAt; t <= arriveAt; t += 1000) {
    const q = path(t);
    if (crossingAt === undefined) {
      if (sdRule(q) > 0) crossingAt = t;
      continue;
    }
    if (!outside(q)) return null; // crossed back, or left the country on a district trip
  }
  // ">= 300 m beyond": the far point, as the engine measures it (a line that bends back fails here)
  if (crossingAt === undefined || !outside(E) || sdRule(E) < 300) return null;
  let returnAt: number | undefined;
  let insidePeriods: [number, number][];
  if (kind === 'late_batch') {
    for (let t = backAt; t <= homeAt + 1000; t += 1000) {
      const q = path(t);
      if (returnAt === undefined) {
        if (sdRule(q) <= 0) returnAt = t;
        else if (!outside(q)) return null;
      } else if (sdRule(q) > 0) return null;
    }
    if (returnAt === undefined) return null;
    insidePeriods = [
      [startAt, crossingAt],
      [returnAt, endAt],
    ];
  } else {
    endAt = Math.max(crossingAt + minutes(rand, 10, 20), arriveAt + 2 * MIN);
    insidePeriods = [[startAt, crossingAt]];
  }
  const insideMs = insidePeriods.reduce((a, [f, t]) => a + (t - f), 0);
  const truth: CaseTruth = { rule: site.rule, crossingAt, ...(returnAt !== undefined ? { returnAt } : {}), insideMs };
  return new TrackCase(id, kind, site.family, site, input(S), truth, startAt, endAt, accM, -sdRule(S), opts.seed, path, insidePeriods, { speedKmh, angleDeg: angle, beyondM: beyond }, late);
}

export interface CaseCounts {
  /** Inside tags (each insideDays long). */
  inside: number;
  /** Exits, half walking and half driving. */
  exits: number;
  late: number;
}

/** A mixed set: each kind spread evenly over the three families (round robin). */
export function generateCases(engine: GeofenceEngine, sites: Record<LineFamily, LineSite[]>, counts: CaseCounts, opts: CaseOptions): TrackCase[] {
  const out: TrackCase[] = [];
  const fam = (i: number) => LINE_FAMILIES[i % LINE_FAMILIES.length]!;
  for (let i = 0; i < counts.inside; i++) out.push(generateCase(engine, sites, 'inside', fam(i), i, opts));
  for (let i = 0; i < counts.exits; i++) {
    // alternate walk/drive within each family
    const kind: TrackKind = Math.floor(i / LINE_FAMILIES.length) % 2 === 0 ? 'walk_exit' : 'drive_exit';
    out.push(generateCase(engine, sites, kind, fam(i), i, opts));
  }
  for (let i = 0; i < counts.late; i++) out.push(generateCase(engine, sites, 'late_batch', fam(i), i, opts));
  return out;
}
