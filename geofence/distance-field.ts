/**
 * Distance (m) from a point to a fixed set of boundary segments in O(1)-ish time: a
 * multi-resolution candidate quadtree with compact (index) candidate lists.
 *
 * Candidates. Every node keeps, for a given version of the boundary, the segments that can be
 * nearest for SOME point of its box: with c the box centre, h its half-diagonal (m) and d_c the
 * distance from c, a segment s can be nearest to a point p of the box only if
 *     dist(c, s) - h <= dist(p, s) <= d(p) <= d_c + h,   i.e.   dist(c, s) <= d_c + 2h.
 * A child filters a list of an ancestor (any superset of its own list will do), so the build never
 * rescans all segments.
 *
 * Resolution. Far from the boundary, exact candidate lists grow like sqrt(d * h) / segment length,
 * so far nodes use a Douglas-Peucker simplified boundary instead: level k has tolerance eps_k and
 * a node may use it only if eps_k <= relTolerance * (lower bound of d over the node). Distances to
 * the simplified boundary differ from the true ones by at most eps_k, so the result is within
 * relTolerance * d of the true distance (0.2 % by default), and exact (up to the planar
 * approximation of geo.ts) within ~1 km of the boundary, where the rules are decided.
 * Going down the tree nodes only get farther from the boundary, so levels only get coarser. The
 * lists of the coarser levels are filtered lazily: only when the node is far enough that the
 * level could be used (eps_k <= relTolerance * (d_c + eps_level)); otherwise the ancestor's list
 * is passed down unchanged.
 *
 * Far leaves. Even on a simplified boundary the exact lists keep growing like sqrt(d * h), so a
 * node whose distance lower bound is at least farFactor * h stops splitting (from depth
 * minFarDepth on; the layout also allows leaves above the lookup level) and keeps only the segments that are local minima (along the boundary)
 * of the distance from one of a lattice of (samples + 1)^2 points, within 2h / samples of that
 * point's nearest distance. Every point of the box is within h / samples of a lattice point; the
 * nearest segment of a point is a local minimum that moves continuously, so this keeps it except
 * in degenerate configurations. This part is a heuristic, not a proof: distance-field.test.ts
 * checks it against the exact R-tree search on every KGZ unit (worst relative error observed:
 * the 0.2 % simplification budget).
 *
 * Layout (typed arrays): one contiguous Float32 record per leaf in `rec`: [count, anchor x,
 * anchor y, side, then ax, ay, bx, by, dA per candidate]. The anchor is the leaf's centre (rounded to
 * Float32, as an offset from the root's corner) and the segment coordinates are Float32 offsets
 * (degrees) from it, nearest segment first, so a lookup reads one run of cache lines instead of
 * chasing ids into a shared segment array (random queries are bound by memory latency). Rounding
 * moves a coordinate by at most 2^-24 of its offset: < 1 mm for segments near the anchor on KGZ,
 * a few cm for far-leaf candidates hundreds of km away (a 1e-7 relative error; `maxRoundingM`,
 * `nearRoundingM`, checked in the tests). `side` is 1 / -1 when the leaf's box cannot touch the
 * boundary and an `inside` test was given (the side of its centre), else 0; `lastSide` exposes it.
 * `node[n]` is the first child of an internal node, or -(record offset + 1) for a leaf, so a
 * descent step is one array read. The TOP x TOP lookup table holds, for each cell of the root
 * box, the `node` value of the node covering it (a leaf of any depth <= TOP_DEPTH, or the internal
 * node at TOP_DEPTH whose box is the cell), so a shallow leaf costs one table read.
 *
 * Query: one table read, descend (near the boundary only), scan the leaf's record (at most
 * leafSize candidates near the boundary, about a dozen in the country's far leaves). Outside the
 * root box: exact R-tree search (nearest.ts).
 */
import type { BBox, SegmentList } from './geo.ts';
import { DEG as GEO_DEG, M_PER_DEG as GEO_M_PER_DEG, emptyBBox, extendBBox, extendBBoxBySegments, minSegDist2 } from './geo.ts';
import { SegmentIndex } from './nearest.ts';
import { simplifySegments } from './simplify.ts';

export interface DistanceFieldOptions {
  /** Allowed relative error far from the boundary. */
  relTolerance: number;
  /** Simplification tolerances (m) of the coarser levels, increasing. */
  levelsM: number[];
  leafSize: number;
  maxDepth: number;
  /** A node whose distance lower bound is >= farFactor * half-diagonal becomes a far leaf. */
  farFactor: number;
  /** Far leaves sample a (samples + 1) x (samples + 1) lattice. */
  samples: number;
  /** Shallowest depth at which a far leaf may stop splitting. */
  minFarDepth: number;
}

export const DEFAULT_DISTANCE_FIELD_OPTIONS: DistanceFieldOptions = {
  relTolerance: 0.002,
  levelsM: [2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
  leafSize: 16,
  maxDepth: 20,
  farFactor: 2,
  samples: 4,
  minFarDepth: 6,
};

// Module-local copies: imported bindings may compile to getters (tsx), too slow in hot loops.
const DEG = GEO_DEG;
const M_PER_DEG = GEO_M_PER_DEG;

/** nearRoundingM covers candidates within this distance (m) of their leaf's anchor. */
const NEAR_ROUNDING_M = 5000;

/** Floats per candidate in a leaf record: ax, ay, bx, by, distance (m) from the anchor. */
const STRIDE = 5;
/** Relative slack of the anchor-distance lower bound (metric differences within a leaf). */
const BOUND_SLACK = 0.99;

/** The lookup table has TOP x TOP cells (the nodes at depth TOP_DEPTH). */
const TOP_DEPTH = 6;
const TOP = 1 << TOP_DEPTH;

/** Growable Float32 buffer. */
class F32Buf {
  a = new Float32Array(1 << 12);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/** Distance (m) from (sx, sy) to segment id of `seg` (geo.ts metric). */
function segDistM(seg: Float64Array, id: number, sx: number, sy: number, cosS: number, sinHalfS: number): number {
  const o = id * 4;
  return Math.sqrt(minSegDist2(seg[o]! - sx, seg[o + 1]! - sy, seg[o + 2]! - sx, seg[o + 3]! - sy, cosS, sinHalfS, Infinity));
}

export class DistanceField {
  readonly root: BBox;
  /** >= 0: first of the 4 children; < 0: leaf, -(offset of its list in `list` + 1). */
  private readonly node: Int32Array;
  /**
   * Leaf records (Float32): count, anchor x, anchor y (a point near the leaf's centre, offsets in
   * degrees from the root's corner), side (1 inside, -1 outside, 0 unknown), then per candidate
   * (STRIDE floats; the fifth is its distance from the anchor in m, a lower-bound helper),
   * nearest to the anchor first, the segment's ax, ay, bx, by as offsets (degrees) from the
   * anchor. A lookup reads one contiguous record (no id indirection).
   */
  private readonly rec: Float32Array;
  /** Largest rounding (m) of a stored segment coordinate (Float32 offsets from the anchors). */
  readonly maxRoundingM: number;
  /** Same, over candidates within NEAR_ROUNDING_M of their leaf's anchor. */
  readonly nearRoundingM: number;
  /** `node` value of the node covering each cell of the TOP x TOP lookup table. */
  private readonly top: Int32Array;
  private readonly invW: number;
  private readonly invH: number;
  private readonly exact: SegmentIndex;
  readonly nodeCount: number;
  readonly candidateCount: number;
  readonly leafCount: number;

  /**
   * Side of the last `distanceAt` point: 1 inside, -1 outside (per the `inside` test given to the
   * constructor), 0 unknown (the point's leaf may touch the boundary, no test given, or the point
   * is outside the root). Set by every `distanceAt` call: read it right after.
   */
  lastSide = 0;

  /**
   * @param inside optional exact point-in-area test for the boundary's area: leaves whose box
   * cannot touch the boundary record the side of their centre, so `lastSide` answers point
   * location for them without a second index.
   */
  constructor(
    segs: SegmentList,
    territory: BBox | null = null,
    options: Partial<DistanceFieldOptions> = {},
    inside: ((lon: number, lat: number) => boolean) | null = null,
  ) {
    const o = { ...DEFAULT_DISTANCE_FIELD_OPTIONS, ...options };
    this.exact = new SegmentIndex(segs);
    const bb = extendBBoxBySegments(emptyBBox(), segs);
    if (territory) {
      extendBBox(bb, territory[0], territory[1]);
      extendBBox(bb, territory[2], territory[3]);
    }
    if (!Number.isFinite(bb[0])) {
      bb[0] = bb[1] = 0;
      bb[2] = bb[3] = 1;
    }
    this.root = bb;

    // All levels in one array; level k's segments are ids [off[k], off[k + 1]).
    const eps = [0, ...o.levelsM];
    const levels: SegmentList[] = [segs];
    for (let k = 1; k < eps.length; k++) levels.push(simplifySegments(levels[k - 1]!, eps[k]!));
    const L = levels.length;
    const off = new Uint32Array(L + 1);
    for (let k = 0; k < L; k++) off[k + 1] = off[k]! + levels[k]!.count;
    const total = off[L]!;
    const seg = new Float64Array(total * 4);
    for (let k = 0; k < L; k++) seg.set(levels[k]!.coords.subarray(0, levels[k]!.count * 4), off[k]! * 4);
    // boundary neighbours (connected segments of the same ring), for the local-minimum test
    const prev = new Int32Array(total).fill(-1);
    const next = new Int32Array(total).fill(-1);
    for (let k = 0; k < L; k++) {
      let i = off[k]!;
      const end = off[k + 1]!;
      while (i < end) {
        let j = i;
        while (j + 1 < end && seg[(j + 1) * 4] === seg[j * 4 + 2] && seg[(j + 1) * 4 + 1] === seg[j * 4 + 3]) {
          next[j] = j + 1;
          prev[j + 1] = j;
          j++;
        }
        if (j > i && seg[j * 4 + 2] === seg[i * 4] && seg[j * 4 + 3] === seg[i * 4 + 1]) {
          next[j] = i;
          prev[i] = j;
        }
        i = j + 1;
      }
    }

    const nodes: number[] = [0];
    const rec = new F32Buf();
    let maxRound = 0;
    let nearRound = 0;
    let curD = 0;
    /** Push a coordinate offset (degrees), tracking its Float32 rounding. */
    const pushOff = (v: number): void => {
      const r = Math.abs(Math.fround(v) - v);
      if (r > maxRound) maxRound = r;
      if (curD < NEAR_ROUNDING_M && r > nearRound) nearRound = r;
      rec.push(v);
    };
    const order: number[] = [];
    const dist = new Float64Array(Math.max(1, total));
    const mark = new Uint8Array(Math.max(1, total));
    const chosen: number[] = [];
    const relTol = o.relTolerance;
    const m = o.samples;

    /**
     * Emit a leaf record: candidates nearest to the anchor (the box centre rounded to Float32)
     * first, so the scan usually finds its minimum early; coordinates as Float32 offsets.
     */
    const leaf = (n: number, ids: Uint32Array, cx: number, cy: number, side: number): void => {
      nodes[n] = -(rec.n + 1);
      const ox = Math.fround(cx - bb[0]);
      const oy = Math.fround(cy - bb[1]);
      const ax = bb[0] + ox;
      const ay = bb[1] + oy;
      const r = ay * DEG;
      const cosA = Math.cos(r);
      const sinHalfA = (Math.sin(r) * DEG) / 2;
      rec.push(ids.length);
      rec.push(ox);
      rec.push(oy);
      rec.push(side);
      order.length = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        dist[id] = segDistM(seg, id, ax, ay, cosA, sinHalfA);
        order.push(id);
      }
      order.sort((p, q) => dist[p]! - dist[q]! || p - q);
      for (let i = 0; i < order.length; i++) {
        const id = order[i]!;
        const q = id * 4;
        curD = dist[id]!;
        pushOff(seg[q]! - ax);
        pushOff(seg[q + 1]! - ay);
        pushOff(seg[q + 2]! - ax);
        pushOff(seg[q + 3]! - ay);
        // Rounded down to Float32 so that it stays a lower bound.
        let lb = Math.fround(curD);
        if (lb > curD) lb = Math.fround(curD * (1 - 2 ** -23));
        rec.push(lb);
      }
    };

    /** Keep the ids of `ids` within (best + 2h) of the centre; returns [kept, best]. */
    const filter = (ids: Uint32Array, cx: number, cy: number, cosC: number, sinHalfC: number, h: number): [Uint32Array, number] => {
      let best = Infinity;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const d = segDistM(seg, id, cx, cy, cosC, sinHalfC);
        dist[id] = d;
        if (d < best) best = d;
      }
      // slack for the planar approximation: 0.1 % + 0.5 m
      const limit = (best + 2 * h) * 1.001 + 0.5;
      let cnt = 0;
      for (let i = 0; i < ids.length; i++) if (dist[ids[i]!]! <= limit) cnt++;
      if (cnt === ids.length) return [ids, best];
      const keep = new Uint32Array(cnt);
      cnt = 0;
      for (let i = 0; i < ids.length; i++) if (dist[ids[i]!]! <= limit) keep[cnt++] = ids[i]!;
      return [keep, best];
    };

    // far-leaf scratch: the leaf's segments copied contiguously, relative to the box corner
    let fseg = new Float64Array(256);
    let fd = new Float64Array(64);
    let fprev = new Int32Array(64);
    let fnext = new Int32Array(64);
    const farLeaf = (n: number, mine: Uint32Array, x0: number, y0: number, x1: number, y1: number, h: number, side: number): void => {
      const cnt = mine.length;
      if (fd.length < cnt) {
        fseg = new Float64Array(cnt * 8);
        fd = new Float64Array(cnt * 2);
        fprev = new Int32Array(cnt * 2);
        fnext = new Int32Array(cnt * 2);
      }
      for (let i = 0; i < cnt; i++) {
        const id = mine[i]!;
        mark[id] = 1;
        dist[id] = i; // position in mine (dist is free scratch here)
        const q = id * 4;
        fseg[i * 4] = seg[q]! - x0;
        fseg[i * 4 + 1] = seg[q + 1]! - y0;
        fseg[i * 4 + 2] = seg[q + 2]! - x0;
        fseg[i * 4 + 3] = seg[q + 3]! - y0;
      }
      // boundary neighbours within mine (a neighbour outside mine is farther than d_c + 2h)
      for (let i = 0; i < cnt; i++) {
        const id = mine[i]!;
        const p = prev[id]!;
        const q = next[id]!;
        fprev[i] = p >= 0 && mark[p] ? dist[p]! : -1;
        fnext[i] = q >= 0 && mark[q] ? dist[q]! : -1;
      }
      for (let i = 0; i < cnt; i++) mark[mine[i]!] = 0;
      chosen.length = 0;
      const lim2 = (2 * h) / m;
      for (let a = 0; a <= m; a++) {
        const sx = ((x1 - x0) * a) / m;
        for (let b = 0; b <= m; b++) {
          const sy = ((y1 - y0) * b) / m;
          const r = (y0 + sy) * DEG;
          const cosS = Math.cos(r);
          const sinHalfS = (Math.sin(r) * DEG) / 2;
          let bd = Infinity;
          for (let i = 0; i < cnt; i++) {
            const o = i * 4;
            const d2 = minSegDist2(fseg[o]! - sx, fseg[o + 1]! - sy, fseg[o + 2]! - sx, fseg[o + 3]! - sy, cosS, sinHalfS, Infinity);
            fd[i] = d2;
            if (d2 < bd) bd = d2;
          }
          // every local minimum along the boundary within bd + 2 * (h / m) can be nearest for
          // points near this sample (each box point is within h / m of a sample)
          const lim = Math.sqrt(bd) + lim2;
          const limSq = lim * lim;
          for (let i = 0; i < cnt; i++) {
            const d = fd[i]!;
            if (d > limSq) continue;
            const p = fprev[i]!;
            const q = fnext[i]!;
            if (p >= 0 && d > fd[p]!) continue;
            if (q >= 0 && d > fd[q]!) continue;
            const id = mine[i]!;
            if (mark[id] === 0) {
              mark[id] = 1;
              chosen.push(id);
            }
          }
        }
      }
      for (let i = 0; i < chosen.length; i++) mark[chosen[i]!] = 0;
      chosen.sort((p, q) => p - q);
      leaf(n, Uint32Array.from(chosen), (x0 + x1) / 2, (y0 + y1) / 2, side);
    };

    // lists[k] (k >= level): a superset of this node's candidates of level k
    const build = (n: number, x0: number, y0: number, x1: number, y1: number, level: number, lists: Uint32Array[], depth: number): void => {
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      const rc = cy * DEG;
      const cosC = Math.cos(rc);
      const sinHalfC = (Math.sin(rc) * DEG) / 2;
      const minAbsLat = y0 <= 0 && y1 >= 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
      const hx = ((x1 - x0) / 2) * M_PER_DEG * Math.cos(minAbsLat * DEG);
      const hy = ((y1 - y0) / 2) * M_PER_DEG;
      const h = Math.sqrt(hx * hx + hy * hy);
      const nextLists = lists.slice();
      const [cur, bestCur] = filter(lists[level]!, cx, cy, cosC, sinHalfC, h);
      nextLists[level] = cur;
      let newLevel = level;
      let bestNew = bestCur;
      // coarser levels: only those that could qualify (best_k <= d + eps_k <= bestCur + eps_level + eps_k)
      for (let k = level + 1; k < L; k++) {
        if (eps[k]! * (1 - relTol) > relTol * (bestCur + eps[level]!)) break;
        const [lk, bk] = filter(lists[k]!, cx, cy, cosC, sinHalfC, h);
        nextLists[k] = lk;
        if (eps[k]! <= relTol * (bk - eps[k]! - h)) {
          newLevel = k;
          bestNew = bk;
        }
      }
      const mine = nextLists[newLevel]!;
      const lowerD = bestNew - eps[newLevel]! - h;
      const isFar = mine.length > o.leafSize && depth >= o.minFarDepth && lowerD >= o.farFactor * h;
      if (isFar || mine.length <= o.leafSize || depth >= o.maxDepth || h < 1) {
        // a box at a positive distance (with slack for the planar approximation) from the
        // boundary lies on one side of it: the centre's
        const side = inside && lowerD > 0.002 * bestNew + 1 ? (inside(cx, cy) ? 1 : -1) : 0;
        // below ~1 m boxes, splitting cannot help (coincident segments): stop
        if (isFar) farLeaf(n, mine, x0, y0, x1, y1, h, side);
        else leaf(n, mine, cx, cy, side);
        return;
      }
      const first = nodes.length;
      nodes[n] = first;
      nodes.push(0, 0, 0, 0);
      build(first, x0, y0, cx, cy, newLevel, nextLists, depth + 1);
      build(first + 1, cx, y0, x1, cy, newLevel, nextLists, depth + 1);
      build(first + 2, x0, cy, cx, y1, newLevel, nextLists, depth + 1);
      build(first + 3, cx, cy, x1, y1, newLevel, nextLists, depth + 1);
    };
    const all: Uint32Array[] = [];
    for (let k = 0; k < L; k++) {
      const a = new Uint32Array(levels[k]!.count);
      for (let i = 0; i < a.length; i++) a[i] = off[k]! + i;
      all.push(a);
    }
    build(0, bb[0], bb[1], bb[2], bb[3], 0, all, 0);
    this.node = Int32Array.from(nodes);
    this.rec = rec.a.slice(0, rec.n);
    this.maxRoundingM = maxRound * M_PER_DEG;
    this.nearRoundingM = nearRound * M_PER_DEG;
    // lookup table: the leaf covering each cell, or the internal node at TOP_DEPTH
    this.top = new Int32Array(TOP * TOP);
    const fillTop = (n: number, i: number, j: number, size: number): void => {
      const c = nodes[n]!;
      if (size === 1 || c < 0) {
        for (let jj = j; jj < j + size; jj++) this.top.fill(c, jj * TOP + i, jj * TOP + i + size);
        return;
      }
      const hs = size / 2;
      fillTop(c, i, j, hs);
      fillTop(c + 1, i + hs, j, hs);
      fillTop(c + 2, i, j + hs, hs);
      fillTop(c + 3, i + hs, j + hs, hs);
    };
    fillTop(0, 0, 0, TOP);
    this.invW = TOP / (bb[2] - bb[0]);
    this.invH = TOP / (bb[3] - bb[1]);
    this.nodeCount = nodes.length;
    let leaves = 0;
    for (const v of nodes) if (v < 0) leaves++;
    this.leafCount = leaves;
    this.candidateCount = (rec.n - 4 * leaves) / STRIDE;
  }

  /** Distance (m) from (px, py) to the boundary (Infinity when there is none). */
  distance(px: number, py: number): number {
    const r = py * DEG;
    return this.distanceAt(px, py, Math.cos(r), (Math.sin(r) * DEG) / 2);
  }

  /**
   * Same, with the query's trigonometry precomputed (cosP = cos(lat), sinHalf = sin(lat) * DEG / 2)
   * so that one fix evaluated against several boundaries pays for it once.
   */
  distanceAt(px: number, py: number, cosP: number, sinHalf: number): number {
    const s = this.leafAt(px, py);
    return s < 0 ? this.exact.distance(px, py) : this.distanceInLeaf(s, px, py, cosP, sinHalf);
  }

  /**
   * Offset of the leaf record covering (px, py), or -1 outside the root box (then the distance is
   * the exact search's). Sets `lastSide`, which reads the record's first cache line: a caller
   * with several boundaries to measure finds all their leaves first, so that the cache misses
   * of the records (random queries are bound by memory latency) overlap instead of queueing.
   */
  leafAt(px: number, py: number): number {
    const root = this.root;
    if (!(px >= root[0] && px <= root[2] && py >= root[1] && py <= root[3])) {
      this.lastSide = 0;
      return -1;
    }
    let i = ((px - root[0]) * this.invW) | 0;
    let j = ((py - root[1]) * this.invH) | 0;
    if (i >= TOP) i = TOP - 1;
    if (j >= TOP) j = TOP - 1;
    const node = this.node;
    let c = this.top[j * TOP + i]!;
    if (c >= 0) {
      // an internal node at TOP_DEPTH: its box is the cell (same halving arithmetic as the build)
      let x0 = root[0];
      let y0 = root[1];
      let x1 = root[2];
      let y1 = root[3];
      for (let b = TOP >> 1; b >= 1; b >>= 1) {
        const mx = (x0 + x1) * 0.5;
        const my = (y0 + y1) * 0.5;
        if (i & b) x0 = mx;
        else x1 = mx;
        if (j & b) y0 = my;
        else y1 = my;
      }
      do {
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
        c = node[c + q]!;
      } while (c >= 0);
    }
    const s = -c - 1;
    this.lastSide = this.rec[s + 3]!;
    return s;
  }

  /** Distance (m) from (px, py) to the boundary, given its leaf record `s` (from `leafAt`). */
  distanceInLeaf(s: number, px: number, py: number, cosP: number, sinHalf: number): number {
    const root = this.root;
    const rec = this.rec;
    const e = s + 4 + STRIDE * rec[s]!;
    // the point relative to the leaf's anchor (degrees)
    const dpx = px - (root[0] + rec[s + 1]!);
    const dpy = py - (root[1] + rec[s + 2]!);
    // Distance (m) from the point to the anchor: a candidate at distance dA from the anchor is
    // at least dA - r from the point, and candidates come nearest to the anchor first, so the
    // scan stops at the first one that cannot beat the best so far. The metric's scale differs
    // between the anchor and the point by about tan(lat) x their latitude difference (< 0.2 %
    // for a leaf's extent): BOUND_SLACK covers it with a wide margin.
    const rx = dpx * M_PER_DEG * cosP;
    const ry = dpy * M_PER_DEG;
    const r = Math.sqrt(rx * rx + ry * ry) + 1;
    let best = Infinity;
    for (let k = s + 4; k < e; k += STRIDE) {
      const lb = rec[k + 4]! * BOUND_SLACK - r;
      if (lb > 0 && lb * lb > best) break;
      // geo.ts minSegDist2, inlined by hand: evaluate() inlines this method, and the call below
      // it was then not reliably inlined (V8's cumulative budget): up to 1.7x slower in A/B runs
      const ax = rec[k]! - dpx;
      const ay = rec[k + 1]! - dpy;
      const bx = rec[k + 2]! - dpx;
      const by = rec[k + 3]! - dpy;
      const kx = M_PER_DEG * (cosP - sinHalf * ((ay + by) * 0.5));
      const ux = ax * kx;
      const uy = ay * M_PER_DEG;
      const dx = (bx - ax) * kx;
      const dy = (by - ay) * M_PER_DEG;
      const len2 = dx * dx + dy * dy;
      const tl = -(ux * dx + uy * dy);
      if (tl <= 0) {
        const d2 = ux * ux + uy * uy;
        if (d2 < best) best = d2;
      } else if (tl >= len2) {
        const vx = ux + dx;
        const vy = uy + dy;
        const d2 = vx * vx + vy * vy;
        if (d2 < best) best = d2;
      } else {
        const cr = ux * dy - uy * dx;
        const c2 = cr * cr;
        if (c2 < best * len2) best = c2 / len2;
      }
    }
    return Math.sqrt(best);
  }

  /** Exact distance by R-tree search (reference; slower). */
  exactDistance(px: number, py: number): number {
    return this.exact.distance(px, py);
  }

  byteLength(): number {
    return this.node.byteLength + this.rec.byteLength + this.top.byteLength + this.exact.byteLength();
  }
}
