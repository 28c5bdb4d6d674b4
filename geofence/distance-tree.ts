/**
 * Nearest-segment distance with a candidate quadtree.
 *
 * Every node of the quadtree keeps the segments that can be nearest for SOME point of its box:
 * with c the box centre, h its half-diagonal (m) and d_c the distance from c to the nearest
 * segment, a segment s can be nearest to a point p of the box only if
 *     dist(c, s) - h <= dist(p, s) <= d(p) <= d_c + h,   i.e.   dist(c, s) <= d_c + 2h
 * (triangle inequality; a small relative slack covers the planar approximation of geo.ts).
 * A child's candidates are filtered from its parent's, so the build never rescans all segments.
 * A node is split until it has at most `leafSize` candidates or reaches `maxDepth`.
 *
 * Query: descend to the leaf (O(depth), depth <= maxDepth) and take the minimum over its few
 * candidates. Points outside the root box fall back to a scan of all segments (rare: the root is
 * the engine's whole territory plus a margin).
 */
import type { BBox, SegmentList } from './geo.ts';
import { M_PER_DEG, DEG, bruteDistM, emptyBBox, extendBBox, makeFrame, segDist2 } from './geo.ts';

export interface DistanceTreeOptions {
  leafSize: number;
  maxDepth: number;
  /** Relative slack on the pruning radius (covers the planar approximation). */
  relSlack: number;
}

const DEFAULTS: DistanceTreeOptions = { leafSize: 8, maxDepth: 18, relSlack: 0.001 };

export class DistanceTree {
  readonly root: BBox;
  /** child[n] >= 0: index of the first of 4 children; -1: leaf. */
  private readonly child: Int32Array;
  private readonly candStart: Uint32Array;
  private readonly candEnd: Uint32Array;
  /** Candidate segment coordinates, copied per leaf for locality. */
  private readonly cand: Float64Array;
  private readonly all: SegmentList;
  readonly nodeCount: number;

  constructor(segs: SegmentList, root: BBox | null = null, opts: Partial<DistanceTreeOptions> = {}) {
    const o = { ...DEFAULTS, ...opts };
    this.all = segs;
    const bb = emptyBBox();
    const c = segs.coords;
    for (let i = 0; i < segs.count * 4; i += 2) extendBBox(bb, c[i]!, c[i + 1]!);
    if (root) {
      extendBBox(bb, root[0], root[1]);
      extendBBox(bb, root[2], root[3]);
    }
    if (!Number.isFinite(bb[0])) {
      bb[0] = bb[1] = 0;
      bb[2] = bb[3] = 1;
    }
    this.root = bb;

    const child: number[] = [];
    const cs: number[] = [];
    const ce: number[] = [];
    const cand: number[] = [];
    const dist = new Float64Array(segs.count);

    const build = (node: number, x0: number, y0: number, x1: number, y1: number, ids: Uint32Array, depth: number): void => {
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      const f = makeFrame(cx, cy);
      // half-diagonal in metres, east-west scale taken at the widest latitude of the box
      const minAbsLat = y0 <= 0 && y1 >= 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
      const hx = ((x1 - x0) / 2) * M_PER_DEG * Math.cos(minAbsLat * DEG);
      const hy = ((y1 - y0) / 2) * M_PER_DEG;
      const h = Math.sqrt(hx * hx + hy * hy);
      let best = Infinity;
      for (let k = 0; k < ids.length; k++) {
        const s = ids[k]! * 4;
        const d = Math.sqrt(segDist2(f, c[s]!, c[s + 1]!, c[s + 2]!, c[s + 3]!));
        dist[ids[k]!] = d;
        if (d < best) best = d;
      }
      const limit = (best + 2 * h) * (1 + o.relSlack) + 0.5;
      let n = 0;
      for (let k = 0; k < ids.length; k++) if (dist[ids[k]!]! <= limit) n++;
      const keep = new Uint32Array(n);
      n = 0;
      for (let k = 0; k < ids.length; k++) if (dist[ids[k]!]! <= limit) keep[n++] = ids[k]!;
      // Splitting further cannot shrink the band below its slack: stop there too.
      const slackBound = 2 * h <= o.relSlack * best + 0.5;
      if (keep.length <= o.leafSize || depth >= o.maxDepth || slackBound) {
        child[node] = -1;
        cs[node] = cand.length / 4;
        for (let k = 0; k < keep.length; k++) {
          const s = keep[k]! * 4;
          cand.push(c[s]!, c[s + 1]!, c[s + 2]!, c[s + 3]!);
        }
        ce[node] = cand.length / 4;
        return;
      }
      const first = child.length;
      child[node] = first;
      cs[node] = 0;
      ce[node] = 0;
      for (let q = 0; q < 4; q++) {
        child.push(-1);
        cs.push(0);
        ce.push(0);
      }
      build(first, x0, y0, cx, cy, keep, depth + 1);
      build(first + 1, cx, y0, x1, cy, keep, depth + 1);
      build(first + 2, x0, cy, cx, y1, keep, depth + 1);
      build(first + 3, cx, cy, x1, y1, keep, depth + 1);
    };
    child.push(-1);
    cs.push(0);
    ce.push(0);
    const allIds = new Uint32Array(segs.count);
    for (let i = 0; i < segs.count; i++) allIds[i] = i;
    build(0, bb[0], bb[1], bb[2], bb[3], allIds, 0);
    this.child = Int32Array.from(child);
    this.candStart = Uint32Array.from(cs);
    this.candEnd = Uint32Array.from(ce);
    this.cand = Float64Array.from(cand);
    this.nodeCount = child.length;
  }

  /** Distance in metres from (px, py) to the nearest segment (Infinity if there are none). */
  distance(px: number, py: number): number {
    let x0 = this.root[0];
    let y0 = this.root[1];
    let x1 = this.root[2];
    let y1 = this.root[3];
    if (!(px >= x0 && px <= x1 && py >= y0 && py <= y1)) {
      return this.all.count === 0 ? Infinity : bruteDistM(makeFrame(px, py), this.all);
    }
    const child = this.child;
    let n = 0;
    let ch = child[0]!;
    while (ch >= 0) {
      const mx = (x0 + x1) * 0.5;
      const my = (y0 + y1) * 0.5;
      let q = 0;
      if (px >= mx) {
        q = 1;
        x0 = mx;
      } else x1 = mx;
      if (py >= my) {
        q += 2;
        y0 = my;
      } else y1 = my;
      n = ch + q;
      ch = child[n]!;
    }
    const s = this.candStart[n]!;
    const e = this.candEnd[n]!;
    if (s === e) return Infinity;
    // inlined segDist2 (geo.ts)
    const r = py * DEG;
    const cosP = Math.cos(r);
    const sinHalf = (Math.sin(r) * DEG) / 2;
    const cd = this.cand;
    let best = Infinity;
    for (let k = s; k < e; k++) {
      const o = k * 4;
      const ax = cd[o]!;
      const ay = cd[o + 1]!;
      const bx = cd[o + 2]!;
      const by = cd[o + 3]!;
      const kx = M_PER_DEG * (cosP - sinHalf * ((ay + by) * 0.5 - py));
      const x1 = (ax - px) * kx;
      const y1 = (ay - py) * M_PER_DEG;
      const dx = (bx - ax) * kx;
      const dy = (by - ay) * M_PER_DEG;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const x = x1 + t * dx;
      const y = y1 + t * dy;
      const d2 = x * x + y * y;
      if (d2 < best) best = d2;
    }
    return Math.sqrt(best);
  }

  byteLength(): number {
    return this.child.byteLength + this.candStart.byteLength + this.candEnd.byteLength + this.cand.byteLength;
  }
}
