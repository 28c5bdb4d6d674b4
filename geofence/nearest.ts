/**
 * Exact nearest-segment search (reference path and fallback for the distance trees).
 *
 * Segments are indexed by their bounding boxes in a Flatbush R-tree, in a plane scaled so that
 * box distances are lower bounds of the metric of geo.ts: x = lon * cosRef, y = lat, with cosRef
 * the cosine of the highest latitude the index serves. A query takes the nearest box's segment as
 * an upper bound, then visits every box within that bound (converted back to degrees) and keeps
 * the minimum. O(log n + k) per query.
 */
import Flatbush from 'flatbush';
import type { SegmentList } from './geo.ts';
import { DEG, M_PER_DEG, makeFrame, segDist2 } from './geo.ts';

export class SegmentIndex {
  private readonly fb: Flatbush | null;
  private readonly cosRef: number;
  private readonly segs: SegmentList;

  constructor(segs: SegmentList, maxAbsLat = 60) {
    this.segs = segs;
    let maxLat = maxAbsLat;
    const c = segs.coords;
    for (let i = 1; i < segs.count * 4; i += 2) maxLat = Math.max(maxLat, Math.abs(c[i]!));
    // margin for query points above the data and for the mean-latitude approximation
    this.cosRef = Math.cos(Math.min(89, maxLat + 5) * DEG);
    if (segs.count === 0) {
      this.fb = null;
      return;
    }
    const fb = new Flatbush(segs.count);
    const k = this.cosRef;
    for (let s = 0; s < segs.count; s++) {
      const o = s * 4;
      const ax = c[o]! * k;
      const bx = c[o + 2]! * k;
      const ay = c[o + 1]!;
      const by = c[o + 3]!;
      fb.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
    fb.finish();
    this.fb = fb;
  }

  /** Distance in metres to the nearest segment (Infinity when empty). */
  distance(px: number, py: number): number {
    const fb = this.fb;
    if (!fb) return Infinity;
    const c = this.segs.coords;
    const f = makeFrame(px, py);
    const x = px * this.cosRef;
    const first = fb.neighbors(x, py, 1)[0]!;
    const o = first * 4;
    let best = segDist2(f, c[o]!, c[o + 1]!, c[o + 2]!, c[o + 3]!);
    const radiusDeg = (Math.sqrt(best) / M_PER_DEG) * 1.01 + 1e-9;
    fb.neighbors(x, py, Infinity, radiusDeg, (s) => {
      const q = s * 4;
      const d = segDist2(f, c[q]!, c[q + 1]!, c[q + 2]!, c[q + 3]!);
      if (d < best) best = d;
      return false;
    });
    return Math.sqrt(best);
  }

  byteLength(): number {
    return (this.fb?.data.byteLength ?? 0) + this.segs.coords.byteLength;
  }
}
