import { beforeAll, describe, expect, it } from 'vitest';
import { kgzEngine, kgzUnits } from '../geofence/fixtures/kgz.ts';
import type { GeofenceEngine } from '../geofence/types.ts';
import type { LonLat } from '../infra/domain/types.ts';
import { distanceM, offset } from './geo-math.ts';
import { NoisyReceiver, findSites, generateCase, generateCases, replayDocument, type LineFamily, type LineSite, type NoisyFix } from './noisy-track.ts';

const TRUTH: LonLat = [74.59, 42.87];

function run(rx: NoisyReceiver, n: number, stepS: number): NoisyFix[] {
  const out: NoisyFix[] = [];
  for (let k = 0; k < n; k++) out.push(rx.sample(k * stepS * 1000, TRUTH));
  return out;
}

/** Lag-`lag` autocorrelation of the normalised error (e / sigma), both axes pooled. */
function autocorr(fixes: NoisyFix[], lag: number): number {
  let num = 0;
  let den = 0;
  for (const axis of ['errE', 'errN'] as const) {
    const u = fixes.map((f) => f[axis] / f.sigmaM);
    for (let i = 0; i < u.length; i++) {
      den += u[i]! * u[i]!;
      if (i + lag < u.length) num += u[i]! * u[i + lag]!;
    }
  }
  return num / den;
}

const min = (xs: number[]) => xs.reduce((a, x) => Math.min(a, x), Infinity);
const max = (xs: number[]) => xs.reduce((a, x) => Math.max(a, x), -Infinity);

const std = (xs: number[]) => {
  const m = xs.reduce((a, x) => a + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
};

describe('NoisyReceiver', () => {
  it('has the Gauss-Markov autocorrelation exp(-dt/tau) at 60 s, whether sampled every 60 s or every 15 s', () => {
    const at60 = run(new NoisyReceiver(1, { accM: 30, outlierRate: 0 }), 40_000, 60);
    expect(autocorr(at60, 1)).toBeCloseTo(Math.exp(-0.5), 1);
    expect(Math.abs(autocorr(at60, 1) - Math.exp(-0.5))).toBeLessThan(0.02);
    const at15 = run(new NoisyReceiver(2, { accM: 30, outlierRate: 0 }), 160_000, 15);
    expect(Math.abs(autocorr(at15, 4) - Math.exp(-0.5))).toBeLessThan(0.02);
    expect(Math.abs(autocorr(at15, 1) - Math.exp(-0.125))).toBeLessThan(0.02);
  });

  it('has a per-axis std of sigma (and sigma within +-20 % of the typical one, honest acc)', () => {
    const rx = new NoisyReceiver(3, { accM: 40, outlierRate: 0 });
    const fixes = run(rx, 40_000, 60);
    for (const axis of ['errE', 'errN'] as const) {
      expect(Math.abs(std(fixes.map((f) => f[axis] / f.sigmaM)) - 1)).toBeLessThan(0.04);
      expect(Math.abs(std(fixes.map((f) => f[axis])) / rx.sigma0 - 1)).toBeLessThan(0.05);
    }
    const ratios = fixes.map((f) => f.sigmaM / rx.sigma0);
    expect(min(ratios)).toBeGreaterThanOrEqual(0.8 - 1e-9);
    expect(max(ratios)).toBeLessThanOrEqual(1.2 + 1e-9);
    // the reported radius is the 68 % radius of the fix's own sigma, rounded up to 0.1 m
    const slack = fixes.map((f) => f.acc - f.sigmaM * 1.5096);
    expect(min(slack)).toBeGreaterThanOrEqual(-0.01);
    expect(max(slack)).toBeLessThan(0.11);
  });

  it('puts about 68 % of the non-outlier fixes within their reported radius of the truth', () => {
    for (const accM of [5, 25, 60]) {
      const fixes = run(new NoisyReceiver(4 + accM, { accM }), 40_000, 60).filter((f) => !f.outlier);
      const within = fixes.filter((f) => distanceM(TRUTH, [f.lon, f.lat]) <= f.acc).length / fixes.length;
      expect(Math.abs(within - 0.68)).toBeLessThan(0.02);
    }
  });

  it('makes about one fix in 200 a 100-300 m outlier with its normal radius, leaving the error state alone', () => {
    const rx = new NoisyReceiver(5, { accM: 10 });
    const fixes = run(rx, 100_000, 60);
    const outliers = fixes.filter((f) => f.outlier);
    expect(outliers.length).toBeGreaterThan(400);
    expect(outliers.length).toBeLessThan(600);
    for (const f of outliers) {
      const unperturbed = offset(TRUTH, f.errE, f.errN);
      const d = distanceM(unperturbed, [f.lon, f.lat]);
      expect(d).toBeGreaterThan(99);
      expect(d).toBeLessThan(301);
      expect(f.acc).toBeLessThan(20);
    }
    // the fix after an outlier is an ordinary one (the error process did not jump)
    const after = outliers.map((o) => fixes[fixes.indexOf(o) + 1]).filter((f): f is NoisyFix => !!f && !f.outlier);
    for (const f of after) expect(Math.hypot(f.errE, f.errN)).toBeLessThan(8 * f.sigmaM);
  });
});

describe('tracks on real lines', () => {
  let engine: GeofenceEngine;
  let sites: Record<LineFamily, LineSite[]>;
  beforeAll(() => {
    engine = kgzEngine();
    // Issyk-Kul raion has all three families: district lines, the Kazakh border, the lake shore.
    sites = findSites(engine, kgzUnits(), { unitIds: ['KG02215000000', 'KG02220000000'] });
  }, 60_000);

  it('finds lines of every family, straight as the engine sees them', () => {
    for (const f of ['district', 'border', 'lake'] as const) expect(sites[f].length).toBeGreaterThan(0);
    for (const s of sites.lake) expect(engine.locate(...offset(s.point, s.normal[0] * 200, s.normal[1] * 200)).unitId).toBeNull();
    for (const s of sites.border) expect(engine.locate(...offset(s.point, s.normal[0] * 200, s.normal[1] * 200)).inCountry).toBe(false);
  });

  it('keeps inside tags 5-60 m inside their line all day (engine check)', () => {
    for (let i = 0; i < 12; i++) {
      const family = (['district', 'border', 'lake'] as const)[i % 3]!;
      const c = generateCase(engine, sites, 'inside', family, i, { seed: 7 });
      expect(c.truth.crossingAt).toBeUndefined();
      for (let t = c.startAt; t < c.endAt; t += 5 * 60_000) {
        const [lon, lat] = c.truthAt(t);
        const d = engine.signedDistanceToUnit(c.site.ruleUnitId, lon, lat);
        expect(d).toBeGreaterThanOrEqual(-60);
        expect(d).toBeLessThanOrEqual(-5);
        expect(engine.signedDistanceToUnit(c.input.client.residenceUnit, lon, lat)).toBeLessThan(0);
      }
    }
  });

  it('starts exits 5-60 m inside, crosses once after >= 10 min, and stays beyond >= 10 min', () => {
    const cases = generateCases(engine, sites, { inside: 0, exits: 30, late: 6 }, { seed: 8 });
    for (const c of cases) {
      const sd = (t: number) => engine.signedDistanceToUnit(c.site.ruleUnitId, ...c.truthAt(t));
      const x = c.truth.crossingAt!;
      expect(sd(c.startAt)).toBeGreaterThanOrEqual(-60);
      expect(sd(c.startAt)).toBeLessThanOrEqual(-5);
      expect(x - c.startAt).toBeGreaterThanOrEqual(10 * 60_000);
      expect(sd(x - 1000)).toBeLessThanOrEqual(0);
      expect(sd(x)).toBeGreaterThan(0);
      const outUntil = c.truth.returnAt ?? c.endAt;
      expect(outUntil - x).toBeGreaterThanOrEqual(10 * 60_000);
      expect(sd(outUntil - 1000)).toBeGreaterThan(0);
      if (c.kind !== 'late_batch') expect(sd(c.endAt)).toBeGreaterThanOrEqual(300);
    }
  });

  it('delivers a late batch in one piece after live fixes that already show the client home', () => {
    const cases = generateCases(engine, sites, { inside: 0, exits: 0, late: 6 }, { seed: 9 });
    for (const c of cases) {
      const ds = c.fixes;
      const bi = ds.findIndex((d) => d.fixes.length > 1);
      expect(bi).toBeGreaterThan(0);
      const batch = ds[bi]!;
      expect(batch.fixes.every((f) => f.buffered && f.t >= c.late!.from && f.t < c.late!.to)).toBe(true);
      const liveBefore = ds.slice(0, bi).filter((d) => d.fixes[0]!.t >= c.late!.to);
      expect(liveBefore.length).toBe(c.late!.afterLiveFixes);
      for (const d of liveBefore) expect(engine.signedDistanceToUnit(c.site.ruleUnitId, ...c.truthAt(d.fixes[0]!.t))).toBeLessThan(0);
      const times = batch.fixes.map((f) => f.t);
      const sorted = [...times].sort((a, b) => a - b);
      expect(times.join() === sorted.join()).toBe(!c.late!.shuffle);
      for (let k = 1; k < ds.length; k++) expect(ds[k]!.at).toBeGreaterThanOrEqual(ds[k - 1]!.at);
    }
  });

  it('is deterministic and writes a replay document', () => {
    const a = generateCase(engine, sites, 'drive_exit', 'lake', 3, { seed: 11 });
    const b = generateCase(engine, sites, 'drive_exit', 'lake', 3, { seed: 11 });
    expect(JSON.stringify(replayDocument(a))).toBe(JSON.stringify(replayDocument(b)));
    const doc = replayDocument(a) as { client: { regime: string }; fixes: { t: string; deliveredAt: string; acc: number }[] };
    expect(doc.client.regime).toBe('probation_supervision');
    expect(doc.fixes.length).toBe(a.fixes.length);
    expect(Date.parse(doc.fixes[0]!.deliveredAt) - Date.parse(doc.fixes[0]!.t)).toBeGreaterThanOrEqual(1000);
  });
});
