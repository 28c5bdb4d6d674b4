import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, RADIUS68_PER_SIGMA, radius68, sampleFix, type Environment } from './accuracy-model.ts';
import { prng } from '../infra/random/seeded-random.ts';

const BISHKEK: [number, number] = [74.596, 42.864];

function coverage(env: Environment, n: number, opts = {}) {
  const rand = prng(42);
  let inside = 0;
  const accs: number[] = [];
  const kinds = { none: 0, honest: 0, dishonest: 0 };
  for (let i = 0; i < n; i++) {
    const f = sampleFix(BISHKEK, env, rand, opts);
    if (f.errorM <= f.acc) inside++;
    accs.push(f.acc);
    kinds[f.outlier]++;
  }
  accs.sort((a, b) => a - b);
  return { share: inside / n, medianAcc: accs[n >> 1]!, kinds };
}

describe('accuracy model', () => {
  it('the 68% radius of a circular normal error is 1.5096 sigma', () => {
    expect(RADIUS68_PER_SIGMA).toBeCloseTo(1.5096, 4);
    expect(1 - Math.exp(-(RADIUS68_PER_SIGMA ** 2) / 2)).toBeCloseTo(0.68, 10);
    // Rounded up, never down: the protocol forbids under-reporting.
    expect(radius68(10)).toBe(15.1);
    expect(radius68(2)).toBeGreaterThanOrEqual(2 * RADIUS68_PER_SIGMA);
  });

  // 20,000 samples give a binomial standard error of 0.0033 on 0.68. Rounding the radius up to
  // 0.1 m raises the coverage a little, most for the small radii of the open sky.
  it.each(ENVIRONMENTS)('without outliers, the reported accuracy covers 68%% of the true errors (%s)', (env) => {
    const { share } = coverage(env, 20_000, { outlierScale: 0 });
    expect(share).toBeGreaterThan(0.665);
    expect(share).toBeLessThan(env === 'open' ? 0.71 : 0.695);
  });

  it('reports a few metres in the open, tens of metres in the city and indoors, hundreds from cells', () => {
    expect(coverage('open', 2000).medianAcc).toBeGreaterThan(2);
    expect(coverage('open', 2000).medianAcc).toBeLessThan(8);
    expect(coverage('urban', 2000).medianAcc).toBeGreaterThan(10);
    expect(coverage('urban', 2000).medianAcc).toBeLessThan(40);
    expect(coverage('indoor', 2000).medianAcc).toBeGreaterThan(20);
    expect(coverage('deep_indoor', 2000).medianAcc).toBeGreaterThan(300);
  });

  it('uses GNSS outdoors, Wi-Fi indoors and cells deep inside', () => {
    const rand = prng(1);
    expect(sampleFix(BISHKEK, 'open', rand).src).toBe('gps');
    expect(sampleFix(BISHKEK, 'urban', rand).src).toBe('gps');
    expect(sampleFix(BISHKEK, 'indoor', rand).src).toBe('wifi');
    expect(sampleFix(BISHKEK, 'deep_indoor', rand).src).toBe('cell');
  });

  it('the tag noise setting scales the open-sky error', () => {
    expect(coverage('open', 2000, { openSigmaM: 10 }).medianAcc).toBeGreaterThan(12);
  });

  it('outliers come at the profile rate; honest ones are covered by their accuracy, dishonest ones are far outside it', () => {
    const rand = prng(7);
    const n = 20_000;
    let honest = 0;
    let dishonest = 0;
    for (let i = 0; i < n; i++) {
      const f = sampleFix(BISHKEK, 'urban', rand, { outlierScale: 5, dishonestShare: 0.5 });
      if (f.outlier === 'honest') {
        honest++;
        expect(f.acc).toBeGreaterThanOrEqual(f.errorM);
      } else if (f.outlier === 'dishonest') {
        dishonest++;
        expect(f.errorM).toBeGreaterThan(3 * f.acc);
      }
    }
    // Urban 2% x 5 = 10% outliers, half of them dishonest.
    expect((honest + dishonest) / n).toBeGreaterThan(0.09);
    expect((honest + dishonest) / n).toBeLessThan(0.11);
    expect(dishonest / (honest + dishonest)).toBeGreaterThan(0.45);
    expect(dishonest / (honest + dishonest)).toBeLessThan(0.55);
  });
});
