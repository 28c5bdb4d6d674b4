/**
 * Distance (m) from a point to a fixed set of boundary segments in O(1)-ish time: a
 * multi-resolution candidate quadtree.
 *
 * Candidates. Every node keeps, for a given version of the boundary, the segments that can be
 * nearest for SOME point of its box: with c the box centre, h its half-diagonal (m) and d_c the
 * distance from c, a segment s can be nearest to a point p of the box only if
 *     dist(c, s) - h <= dist(p, s) <= d(p) <= d_c + h,   i.e.   dist(c, s) <= d_c + 2h.
 * A child filters its parent's list, so the build never rescans all segments.
 *
 * Resolution. Far from the boundary, exact candidate lists grow like sqrt(d * h) / segment length,
 * so far nodes use a Douglas-Peucker simplified boundary instead: level k has tolerance eps_k and
 * a node may use it only if eps_k <= relTolerance * (lower bound of d over the node). Distances to
 * the simplified boundary differ from the true ones by at most eps_k, so the result is within
 * relTolerance * d of the true distance (0.2 % by default), and exact (up to the planar
 * approximation of geo.ts) within ~1 km of the boundary, where the rules are decided.
 * Going down the tree nodes only get farther from the boundary, so levels only get coarser:
 * each node carries the lists of its level and the coarser ones.
 *
 * Far leaves. Even on a simplified boundary the exact lists keep growing like sqrt(d * h), so a
 * node whose distance lower bound is at least farFactor * h stops splitting and keeps only the
 * segments that are local minima (along the boundary) of the distance from one of a lattice of
 * (samples + 1)^2 points, within 2h / samples of that point's nearest distance. Every point of
 * the box is within h / samples of a lattice point; the nearest segment of a point is a local
 * minimum that moves continuously, so this keeps it except in degenerate configurations. This
 * part is a heuristic, not a proof: distance-field.test.ts checks it against the exact R-tree
 * search (worst relative error observed on KGZ: 0.17 %, i.e. the simplification budget).
 *
 * Query: descend to the leaf (at most maxDepth steps) and scan its candidates (at most leafSize
 * near the boundary). Outside the root box: exact R-tree search (nearest.ts).
 */
import type { BBox, SegmentList } from './geo.ts';
import { DEG, M_PER_DEG, emptyBBox, extendBBox, makeFrame, segDist2 } from './geo.ts';
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
  /** Boundary neighbours (each side) added to each selected segment in far leaves. */
  neighbours: number;
  /** Far leaves sample a (samples + 1) x (samples + 1) lattice. */
  samples: number;
}

export const DEFAULT_DISTANCE_FIELD_OPTIONS: DistanceFieldOptions = {
  relTolerance: 0.002,
  levelsM: [2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
  leafSize: 16,
  maxDepth: 20,
  farFactor: 2,
  neighbours: 0,
  samples: 6,
};

/** The tree is complete down to TOP_DEPTH; its TOP x TOP cells are found by direct lookup. */
const TOP_DEPTH = 6;
const TOP = 1 << TOP_DEPTH;

export class DistanceField {
  readonly root: BBox;
  /** child[n] >= 0: first of the 4 children of node n; -1: leaf. */
  private readonly child: Int32Array;
  /** Candidate range [lo[n], hi[n]) of leaf n, in segments of `cand`. */
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  /** Candidate coordinates (ax, ay, bx, by), copied per leaf for locality. */
  private readonly cand: Float32Array;
  /** Node index of each cell of the uniform top level (TOP x TOP cells at depth TOP_DEPTH). */
  private readonly top: Int32Array;
  private readonly invW: number;
  private readonly invH: number;
  private readonly exact: SegmentIndex;
  readonly nodeCount: number;
  readonly candidateCount: number;

  constructor(segs: SegmentList, territory: BBox | null = null, options: Partial<DistanceFieldOptions> = {}) {
    const o = { ...DEFAULT_DISTANCE_FIELD_OPTIONS, ...options };
    this.exact = new SegmentIndex(segs);
    const bb = emptyBBox();
    const c0 = segs.coords;
    for (let i = 0; i < segs.count * 4; i += 2) extendBBox(bb, c0[i]!, c0[i + 1]!);
    if (territory) {
      extendBBox(bb, territory[0], territory[1]);
      extendBBox(bb, territory[2], territory[3]);
    }
    if (!Number.isFinite(bb[0])) {
      bb[0] = bb[1] = 0;
      bb[2] = bb[3] = 1;
    }
    this.root = bb;

    const eps = [0, ...o.levelsM];
    const levels: SegmentList[] = [segs];
    for (let k = 1; k < eps.length; k++) levels.push(simplifySegments(levels[k - 1]!, eps[k]!));
    const L = levels.length;

    const child: number[] = [-1];
    const lo: number[] = [0];
    const hi: number[] = [0];
    let cand = new Float32Array(1 << 16);
    let candLen = 0; // in segments
    // candidates are stored as float32 offsets from the leaf's south-west corner (ox, oy):
    // sub-millimetre near the boundary, a few centimetres for far leaves' distant segments
    let ox = 0;
    let oy = 0;
    const push = (src: Float64Array, s: number): void => {
      if ((candLen + 1) * 4 > cand.length) {
        const bigger = new Float32Array(cand.length * 2);
        bigger.set(cand);
        cand = bigger;
      }
      const o = candLen * 4;
      cand[o] = src[s * 4]! - ox;
      cand[o + 1] = src[s * 4 + 1]! - oy;
      cand[o + 2] = src[s * 4 + 2]! - ox;
      cand[o + 3] = src[s * 4 + 3]! - oy;
      candLen++;
    };
    const scratch = levels.map((lv) => new Float64Array(lv.count));
    const bests = new Float64Array(L);
    const posScratch = levels.map((lv) => new Uint32Array(lv.count));
    const bestOf = (_lists: unknown, k: number): number => bests[k]!;

    // lists[k] (k >= level): candidate segment ids of boundary level k for this node's box
    const build = (node: number, x0: number, y0: number, x1: number, y1: number, level: number, lists: (Uint32Array | null)[], depth: number): void => {
      const f = makeFrame((x0 + x1) / 2, (y0 + y1) / 2);
      const minAbsLat = y0 <= 0 && y1 >= 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
      const hx = ((x1 - x0) / 2) * M_PER_DEG * Math.cos(minAbsLat * DEG);
      const hy = ((y1 - y0) / 2) * M_PER_DEG;
      const h = Math.sqrt(hx * hx + hy * hy);
      const next: (Uint32Array | null)[] = new Array<Uint32Array | null>(L).fill(null);
      let newLevel = level;
      for (let k = level; k < L; k++) {
        const ids = lists[k]!;
        const lv = levels[k]!.coords;
        const dist = scratch[k]!;
        let best = Infinity;
        for (let i = 0; i < ids.length; i++) {
          const s = ids[i]! * 4;
          const d = Math.sqrt(segDist2(f, lv[s]!, lv[s + 1]!, lv[s + 2]!, lv[s + 3]!));
          dist[ids[i]!] = d;
          if (d < best) best = d;
        }
        // slack for the planar approximation: 0.1 % + 0.5 m
        const limit = (best + 2 * h) * 1.001 + 0.5;
        let n = 0;
        for (let i = 0; i < ids.length; i++) if (dist[ids[i]!]! <= limit) n++;
        const keep = new Uint32Array(n);
        n = 0;
        for (let i = 0; i < ids.length; i++) if (dist[ids[i]!]! <= limit) keep[n++] = ids[i]!;
        next[k] = keep;
        bests[k] = best;
        // may this node and its descendants use level k? (lower bound of the true d over the box)
        const lower = best - eps[k]! - h;
        if (k > newLevel && eps[k]! <= o.relTolerance * lower) newLevel = k;
      }
      for (let k = level; k < newLevel; k++) next[k] = null;
      const mine = next[newLevel]!;
      const src = levels[newLevel]!.coords;
      const lowerD = bestOf(next, newLevel) - eps[newLevel]! - h;
      if (depth >= TOP_DEPTH && mine.length > o.leafSize && lowerD >= o.farFactor * h) {
        // Far leaf: local minima of the distance from a lattice of sample points (module comment).
        child[node] = -1;
        lo[node] = candLen;
        ox = x0;
        oy = y0;
        const chosen = new Set<number>();
        const cnt = levels[newLevel]!.count;
        const dist = scratch[newLevel]!;
        const pos = posScratch[newLevel]!;
        for (let i = 0; i < mine.length; i++) pos[mine[i]!] = i + 1;
        const m = o.samples;
        for (let a = 0; a <= m; a++) {
          for (let b = 0; b <= m; b++) {
            const sf = makeFrame(x0 + ((x1 - x0) * a) / m, y0 + ((y1 - y0) * b) / m);
            let bd = Infinity;
            for (let i = 0; i < mine.length; i++) {
              const q = mine[i]! * 4;
              const d = Math.sqrt(segDist2(sf, src[q]!, src[q + 1]!, src[q + 2]!, src[q + 3]!));
              dist[mine[i]!] = d;
              if (d < bd) bd = d;
            }
            // every local minimum along the boundary within bd + 2 * (h / m) can be nearest for
            // points near this sample (each box point is within h / m of a sample)
            const lim = bd + (2 * h) / m;
            for (let i = 0; i < mine.length; i++) {
              const id = mine[i]!;
              const d = dist[id]!;
              if (d > lim) continue;
              const prev = id > 0 && pos[id - 1] ? dist[id - 1]! : Infinity;
              const nxt = id + 1 < cnt && pos[id + 1] ? dist[id + 1]! : Infinity;
              if (d > prev || d > nxt) continue;
              for (let k = -o.neighbours; k <= o.neighbours; k++) {
                const j = id + k;
                if (j >= 0 && j < cnt) chosen.add(j);
              }
            }
          }
        }
        for (let i = 0; i < mine.length; i++) pos[mine[i]!] = 0;
        for (const id of chosen) push(src, id);
        hi[node] = candLen;
        return;
      }
      // below ~1 m boxes, splitting cannot help (coincident segments): stop
      if (depth >= TOP_DEPTH && (mine.length <= o.leafSize || depth >= o.maxDepth || h < 1)) {
        child[node] = -1;
        lo[node] = candLen;
        ox = x0;
        oy = y0;
        for (let i = 0; i < mine.length; i++) push(src, mine[i]!);
        hi[node] = candLen;
        return;
      }
      const first = child.length;
      child[node] = first;
      for (let q = 0; q < 4; q++) {
        child.push(-1);
        lo.push(0);
        hi.push(0);
      }
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      build(first, x0, y0, cx, cy, newLevel, next, depth + 1);
      build(first + 1, cx, y0, x1, cy, newLevel, next, depth + 1);
      build(first + 2, x0, cy, cx, y1, newLevel, next, depth + 1);
      build(first + 3, cx, cy, x1, y1, newLevel, next, depth + 1);
    };
    const all = levels.map((lv) => {
      const a = new Uint32Array(lv.count);
      for (let i = 0; i < lv.count; i++) a[i] = i;
      return a;
    });
    build(0, bb[0], bb[1], bb[2], bb[3], 0, all, 0);
    this.child = Int32Array.from(child);
    this.lo = Uint32Array.from(lo);
    this.hi = Uint32Array.from(hi);
    this.cand = cand.slice(0, candLen * 4);
    // map the depth-TOP_DEPTH cells to their nodes (the tree is complete down to that depth)
    this.top = new Int32Array(TOP * TOP);
    const fillTop = (node: number, i: number, j: number, size: number): void => {
      if (size === 1) {
        this.top[j * TOP + i] = node;
        return;
      }
      const c = child[node]!;
      const hs = size / 2;
      fillTop(c, i, j, hs);
      fillTop(c + 1, i + hs, j, hs);
      fillTop(c + 2, i, j + hs, hs);
      fillTop(c + 3, i + hs, j + hs, hs);
    };
    fillTop(0, 0, 0, TOP);
    this.invW = TOP / (bb[2] - bb[0]);
    this.invH = TOP / (bb[3] - bb[1]);
    this.nodeCount = child.length;
    this.candidateCount = candLen;
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
    const root = this.root;
    if (!(px >= root[0] && px <= root[2] && py >= root[1] && py <= root[3])) return this.exact.distance(px, py);
    // top level: direct cell lookup, then descend; the boxes are recomputed exactly as built
    let i = ((px - root[0]) * this.invW) | 0;
    let j = ((py - root[1]) * this.invH) | 0;
    if (i >= TOP) i = TOP - 1;
    if (j >= TOP) j = TOP - 1;
    let x0 = root[0];
    let y0 = root[1];
    let x1 = root[2];
    let y1 = root[3];
    // the cell box must equal the node box of the build (same halving arithmetic)
    for (let b = TOP >> 1; b >= 1; b >>= 1) {
      const mx = (x0 + x1) * 0.5;
      const my = (y0 + y1) * 0.5;
      if (i & b) x0 = mx;
      else x1 = mx;
      if (j & b) y0 = my;
      else y1 = my;
    }
    const child = this.child;
    let n = this.top[j * TOP + i]!;
    let ch = child[n]!;
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
    const s = this.lo[n]!;
    const e = this.hi[n]!;
    // inlined geo.ts segDist2, on offsets from the leaf corner
    const bx0 = x0 - px;
    const by0 = y0 - py;
    const cd = this.cand;
    let best = Infinity;
    for (let k = s; k < e; k++) {
      const o = k * 4;
      const ax = bx0 + cd[o]!;
      const ay = by0 + cd[o + 1]!;
      const bx = bx0 + cd[o + 2]!;
      const by = by0 + cd[o + 3]!;
      const kx = M_PER_DEG * (cosP - sinHalf * ((ay + by) * 0.5));
      const ux = ax * kx;
      const uy = ay * M_PER_DEG;
      const dx = (bx - ax) * kx;
      const dy = (by - ay) * M_PER_DEG;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? -(ux * dx + uy * dy) / len2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const x = ux + t * dx;
      const y = uy + t * dy;
      const d2 = x * x + y * y;
      if (d2 < best) best = d2;
    }
    return Math.sqrt(best);
  }

  /** Exact distance by R-tree search (reference; slower). */
  exactDistance(px: number, py: number): number {
    return this.exact.distance(px, py);
  }

  byteLength(): number {
    return this.child.byteLength + this.lo.byteLength + this.hi.byteLength + this.cand.byteLength + this.top.byteLength + this.exact.byteLength();
  }
}
