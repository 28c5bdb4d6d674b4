/**
 * Douglas-Peucker simplification of closed rings and open paths, in lon/lat degrees with the
 * tolerance given in metres. Longitude differences are scaled by cos(latitude) so the tolerance
 * holds in metres. Guarantee used by distance-field.ts: every point of the original line lies
 * within `toleranceM` (plus the planar approximation) of the simplified line and vice versa
 * (Hausdorff distance <= toleranceM), so distances to the simplified line differ from distances
 * to the original by at most toleranceM.
 */
import type { SegmentList } from './geo.ts';
import { DEG, M_PER_DEG } from './geo.ts';

/** Simplify one polyline given as flat [x0, y0, x1, y1, ...]; returns kept vertex indices. */
export function simplifyIndices(xy: Float64Array, toleranceM: number): number[] {
  const n = xy.length / 2;
  if (n <= 2 || toleranceM <= 0) return Array.from({ length: n }, (_, i) => i);
  // conservative: the largest cos over the line makes longitude metres the longest
  let maxCos = 0;
  for (let i = 0; i < n; i++) maxCos = Math.max(maxCos, Math.cos(xy[2 * i + 1]! * DEG));
  const kx = M_PER_DEG * maxCos;
  const ky = M_PER_DEG;
  const tol2 = toleranceM * toleranceM;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: number[] = [0, n - 1];
  while (stack.length) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const ax = xy[2 * a]! * kx;
    const ay = xy[2 * a + 1]! * ky;
    const dx = xy[2 * b]! * kx - ax;
    const dy = xy[2 * b + 1]! * ky - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = xy[2 * i]! * kx - ax;
      const py = xy[2 * i + 1]! * ky - ay;
      let t = len2 > 0 ? (px * dx + py * dy) / len2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d2 = ex * ex + ey * ey;
      if (d2 > worstD) {
        worstD = d2;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(a, worst, worst, b);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(i);
  return out;
}

/**
 * Simplify a segment list: consecutive connected segments are chained into polylines (rings
 * stay closed), each polyline is simplified, and the result is returned as segments again.
 */
export function simplifySegments(segs: SegmentList, toleranceM: number): SegmentList {
  const c = segs.coords;
  const out: number[] = [];
  let i = 0;
  while (i < segs.count) {
    let j = i;
    while (j + 1 < segs.count && c[(j + 1) * 4] === c[j * 4 + 2] && c[(j + 1) * 4 + 1] === c[j * 4 + 3]) j++;
    // chain of segments i..j: vertices = starts of i..j plus the end of j
    const n = j - i + 2;
    const xy = new Float64Array(n * 2);
    for (let k = 0; k <= j - i; k++) {
      xy[2 * k] = c[(i + k) * 4]!;
      xy[2 * k + 1] = c[(i + k) * 4 + 1]!;
    }
    xy[2 * (n - 1)] = c[j * 4 + 2]!;
    xy[2 * (n - 1) + 1] = c[j * 4 + 3]!;
    const keep = simplifyIndices(xy, toleranceM);
    for (let k = 0; k + 1 < keep.length; k++) {
      const a = keep[k]!;
      const b = keep[k + 1]!;
      out.push(xy[2 * a]!, xy[2 * a + 1]!, xy[2 * b]!, xy[2 * b + 1]!);
    }
    i = j + 1;
  }
  return { coords: Float64Array.from(out), count: out.length / 4 };
}
