import type { FixSource, LonLat } from '../infra/domain/types.ts';
import { distanceM, offset } from './geo-math.ts';
import { gaussian } from '../infra/random/seeded-random.ts';

/**
 * Where the wearer is, as far as positioning is concerned. It decides which source can produce a
 * fix and how good it is:
 * - open: clear sky, GNSS at a few metres;
 * - urban: street canyon or tree cover, GNSS with multipath, tens of metres;
 * - indoor: GNSS lost, Wi-Fi positioning stands in;
 * - deep_indoor: basement, tunnel, rural house without Wi-Fi: only cell-tower positioning.
 */
export const ENVIRONMENTS = ['open', 'urban', 'indoor', 'deep_indoor'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface SourceProfile {
  src: FixSource;
  /** Typical 1-sigma error per axis (east, north), metres. */
  sigmaM: number;
  /** Probability that one fix is an outlier (multipath, a wrong Wi-Fi or cell database entry). */
  outlierRate: number;
}

// Figures are typical of consumer GNSS and network positioning: a few metres in the open, 10-20 m
// in street canyons, 20-40 m from Wi-Fi, several hundred metres from cell ids in towns.
export const ENVIRONMENT_PROFILES: Record<Environment, SourceProfile> = {
  open: { src: 'gps', sigmaM: 2.5, outlierRate: 0.002 },
  urban: { src: 'gps', sigmaM: 12, outlierRate: 0.02 },
  indoor: { src: 'wifi', sigmaM: 20, outlierRate: 0.01 },
  deep_indoor: { src: 'cell', sigmaM: 400, outlierRate: 0.01 },
};

/** True when the GNSS receiver holds a fix in this environment. */
export const hasGnss = (env: Environment): boolean => ENVIRONMENT_PROFILES[env].src === 'gps';

/**
 * For a circular 2-D normal error with per-axis sigma s, the distance r is Rayleigh distributed:
 * P(r <= R) = 1 - exp(-R^2 / 2s^2). Solving for 0.68 gives R = s * sqrt(-2 ln 0.32).
 */
export const RADIUS68_PER_SIGMA = Math.sqrt(-2 * Math.log(0.32));

/**
 * The 68% radius for a sigma, rounded up to 0.1 m: the protocol forbids under-reporting, because the
 * platform trusts the circle when it decides a boundary question.
 */
export const radius68 = (sigmaM: number): number => Math.ceil(sigmaM * RADIUS68_PER_SIGMA * 10) / 10;

export interface AccuracyOptions {
  /** Per-axis sigma in the open, overriding the profile (the tag's `noiseM`). */
  openSigmaM?: number;
  /** Multiplies every outlier rate; 0 switches outliers off. */
  outlierScale?: number;
  /** Of the outliers, the share whose reported accuracy does not cover the error (0..1). */
  dishonestShare?: number;
}

export type OutlierKind = 'none' | 'honest' | 'dishonest';

export interface SampledFix {
  position: LonLat;
  /** Reported 68% radius, metres. */
  acc: number;
  src: FixSource;
  /** The true error of `position`, metres: for tests and scenario checks, never sent. */
  errorM: number;
  outlier: OutlierKind;
}

/**
 * One fix as a receiver would report it at `truth` in `env`. Pure apart from the random source.
 *
 * Each fix draws its own quality (sigma between 0.7 and 1.4 times the profile's), as receivers do
 * with the satellites in view, and reports the 68% radius of that sigma: so the reported accuracy
 * varies fix to fix and is still honest for every fix. An outlier lands 6 to 25 sigma away; an
 * honest one reports a radius that covers it (a receiver that noticed the bad geometry), a
 * dishonest one reports its normal radius (the case the platform must survive).
 */
export function sampleFix(truth: LonLat, env: Environment, rand: () => number, opts: AccuracyOptions = {}): SampledFix {
  const profile = ENVIRONMENT_PROFILES[env];
  const base = env === 'open' && opts.openSigmaM !== undefined ? opts.openSigmaM : profile.sigmaM;
  const sigma = base * (0.7 + 0.7 * rand());
  const acc = radius68(sigma);
  const outlierRate = profile.outlierRate * (opts.outlierScale ?? 1);
  let position: LonLat;
  let outlier: OutlierKind = 'none';
  let reported = acc;
  if (outlierRate > 0 && rand() < outlierRate) {
    const dist = sigma * (6 + 19 * rand());
    const dir = 2 * Math.PI * rand();
    position = offset(truth, Math.sin(dir) * dist, Math.cos(dir) * dist);
    if (rand() < (opts.dishonestShare ?? 0.5)) outlier = 'dishonest';
    else {
      outlier = 'honest';
      reported = Math.ceil(dist * (1.1 + 0.4 * rand()) * 10) / 10;
    }
  } else {
    position = offset(truth, gaussian(rand) * sigma, gaussian(rand) * sigma);
  }
  const rounded: LonLat = [round7(position[0]), round7(position[1])];
  return { position: rounded, acc: reported, src: profile.src, errorM: distanceM(truth, rounded), outlier };
}

/** Seven decimals are 1 cm: more only costs bytes on the cellular link. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
