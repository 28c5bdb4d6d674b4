/**
 * Uniform-grid point location over a set of non-overlapping areas (one administrative level).
 *
 * Build: the bounding box of all areas is cut into square-ish cells (about `cellsPerSegment`
 * cells per boundary segment). Each cell stores
 *   - the area containing its centre (PNPOLY even-odd rule, computed by one scan line per row),
 *   - the boundary segments whose bounding boxes touch it (CSR arrays, sorted by area).
 * Query: a cell with no segment is wholly inside its centre's area: one array read. Otherwise
 * the answer is the centre's label corrected by the parity of the segments crossed by the
 * L-shaped path point -> (centre lon, point lat) -> centre, which stays inside the cell, so only
 * the cell's own segments can cross it. The half-open conventions of the two legs reproduce the
 * PNPOLY answer for the point exactly (see docs/geofence.md, "Index design").
 *
 * Cost: O(1) expected per query (segments per mixed cell is a small constant), independent of
 * the number of vertices or areas. Memory: O(cells + segment-cell incidences).
 */
import type { BBox, SegmentList } from './geo.ts';
import { emptyBBox, extendBBoxBySegments } from './geo.ts';

export interface AreaGridOptions {
  /** Target number of cells per boundary segment (default 2). */
  cellsPerSegment: number;
  /** Lower and upper bounds on the total number of cells. */
  minCells: number;
  maxCells: number;
}

const DEFAULTS: AreaGridOptions = { cellsPerSegment: 2, minCells: 256, maxCells: 4_000_000 };

export class AreaGrid {
  readonly x0: number;
  readonly y0: number;
  readonly nx: number;
  readonly ny: number;
  readonly cw: number;
  readonly ch: number;
  private readonly invCw: number;
  private readonly invCh: number;
  /**
   * Per cell: the area index of its centre (-1 for none) when the cell has no segments, so that
   * the common query is one read; for a cell with segments, -3 - (centre's area index), <= -2.
   */
  readonly code: Int32Array;
  /** CSR offsets into `segs` per cell (length nx*ny + 1). */
  readonly start: Uint32Array;
  /** Segment coordinates per cell incidence (ax, ay, bx, by), duplicated for locality. */
  readonly segs: Float64Array;
  /** Area of each incidence. */
  readonly segArea: Int32Array;
  private readonly flip: Uint8Array;
  readonly areaCount: number;

  constructor(areas: SegmentList[], opts: Partial<AreaGridOptions> = {}) {
    const o = { ...DEFAULTS, ...opts };
    this.areaCount = areas.length;
    this.flip = new Uint8Array(Math.max(1, areas.length));
    const bb: BBox = emptyBBox();
    let total = 0;
    for (const a of areas) {
      extendBBoxBySegments(bb, a);
      total += a.count;
    }
    if (total === 0) {
      bb[0] = bb[1] = 0;
      bb[2] = bb[3] = 1;
    }
    // pad so that points on the outer bbox fall inside the grid
    const padX = (bb[2] - bb[0]) * 1e-6 + 1e-9;
    const padY = (bb[3] - bb[1]) * 1e-6 + 1e-9;
    this.x0 = bb[0] - padX;
    this.y0 = bb[1] - padY;
    const w = bb[2] + padX - this.x0;
    const h = bb[3] + padY - this.y0;
    const cosMid = Math.cos((((bb[1] + bb[3]) / 2) * Math.PI) / 180);
    const target = Math.min(o.maxCells, Math.max(o.minCells, total * o.cellsPerSegment));
    // square cells in metres: cw * cosMid == ch
    const ch = Math.sqrt((w * cosMid * h) / target) || 1;
    const cw = ch / cosMid;
    this.nx = Math.max(1, Math.ceil(w / cw));
    this.ny = Math.max(1, Math.ceil(h / ch));
    this.cw = w / this.nx;
    this.ch = h / this.ny;
    this.invCw = 1 / this.cw;
    this.invCh = 1 / this.ch;
    const nCells = this.nx * this.ny;

    // 1. segment -> cells (bbox overlap), counting pass then fill pass, grouped by area
    const counts = new Uint32Array(nCells + 1);
    const forEachCell = (ax: number, ay: number, bx: number, by: number, fn: (c: number) => void): void => {
      const i0 = this.clampX(Math.floor((Math.min(ax, bx) - this.x0) * this.invCw));
      const i1 = this.clampX(Math.floor((Math.max(ax, bx) - this.x0) * this.invCw));
      const j0 = this.clampY(Math.floor((Math.min(ay, by) - this.y0) * this.invCh));
      const j1 = this.clampY(Math.floor((Math.max(ay, by) - this.y0) * this.invCh));
      for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) fn(j * this.nx + i);
    };
    for (const a of areas) {
      const c = a.coords;
      for (let s = 0; s < a.count; s++) {
        const k = s * 4;
        forEachCell(c[k]!, c[k + 1]!, c[k + 2]!, c[k + 3]!, (cell) => {
          counts[cell + 1]!++;
        });
      }
    }
    for (let i = 0; i < nCells; i++) counts[i + 1]! += counts[i]!;
    this.start = counts;
    const inc = counts[nCells]!;
    this.segs = new Float64Array(inc * 4);
    this.segArea = new Int32Array(inc);
    const fill = new Uint32Array(nCells);
    areas.forEach((a, ai) => {
      const c = a.coords;
      for (let s = 0; s < a.count; s++) {
        const k = s * 4;
        const ax = c[k]!;
        const ay = c[k + 1]!;
        const bx = c[k + 2]!;
        const by = c[k + 3]!;
        forEachCell(ax, ay, bx, by, (cell) => {
          const pos = counts[cell]! + fill[cell]!++;
          this.segs[pos * 4] = ax;
          this.segs[pos * 4 + 1] = ay;
          this.segs[pos * 4 + 2] = bx;
          this.segs[pos * 4 + 3] = by;
          this.segArea[pos] = ai;
        });
      }
    });

    // 2. centre labels: one scan line per row at the centres' latitude
    this.code = new Int32Array(nCells).fill(-1);
    const rows: number[][] = Array.from({ length: this.ny }, () => []);
    // bucket segments (area, index) by the rows whose centre latitude they straddle
    const segRef: { area: number; k: number }[] = [];
    areas.forEach((a, ai) => {
      for (let s = 0; s < a.count; s++) segRef.push({ area: ai, k: s * 4 });
    });
    segRef.forEach((ref, r) => {
      const c = areas[ref.area]!.coords;
      const ay = c[ref.k + 1]!;
      const by = c[ref.k + 3]!;
      const j0 = Math.max(0, Math.ceil((Math.min(ay, by) - this.y0) * this.invCh - 0.5) - 1);
      const j1 = Math.min(this.ny - 1, Math.floor((Math.max(ay, by) - this.y0) * this.invCh - 0.5) + 1);
      for (let j = j0; j <= j1; j++) rows[j]!.push(r);
    });
    const parity = new Uint8Array(Math.max(1, areas.length));
    for (let j = 0; j < this.ny; j++) {
      const yc = this.y0 + (j + 0.5) * this.ch;
      const xs: { x: number; area: number }[] = [];
      for (const r of rows[j]!) {
        const ref = segRef[r]!;
        const c = areas[ref.area]!.coords;
        const ax = c[ref.k]!;
        const ay = c[ref.k + 1]!;
        const bx = c[ref.k + 2]!;
        const by = c[ref.k + 3]!;
        if (ay > yc !== by > yc) xs.push({ x: ax + ((yc - ay) * (bx - ax)) / (by - ay), area: ref.area });
      }
      xs.sort((p, q) => q.x - p.x); // descending
      parity.fill(0);
      const odd = new Set<number>();
      let p = 0;
      for (let i = this.nx - 1; i >= 0; i--) {
        const xc = this.x0 + (i + 0.5) * this.cw;
        // PNPOLY: a crossing counts for the centre when xc < x
        while (p < xs.length && xs[p]!.x > xc) {
          const a = xs[p]!.area;
          parity[a]! ^= 1;
          if (parity[a]) odd.add(a);
          else odd.delete(a);
          p++;
        }
        if (odd.size > 0) {
          let best = Infinity;
          for (const a of odd) if (a < best) best = a;
          this.code[j * this.nx + i] = best;
        }
      }
    }
    // 3. cells with segments: encode the label as -3 - label
    for (let c = 0; c < nCells; c++) if (this.start[c] !== this.start[c + 1]) this.code[c] = -3 - this.code[c]!;
  }

  private clampX(i: number): number {
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }
  private clampY(j: number): number {
    return j < 0 ? 0 : j >= this.ny ? this.ny - 1 : j;
  }

  /** Index of the area containing the point, or -1. */
  locate(px: number, py: number): number {
    const fi = (px - this.x0) * this.invCw;
    const fj = (py - this.y0) * this.invCh;
    if (!(fi >= 0 && fi < this.nx && fj >= 0 && fj < this.ny)) return -1;
    const i = fi | 0;
    const j = fj | 0;
    const cell = j * this.nx + i;
    const code = this.code[cell]!;
    if (code >= -1) return code;
    const lab = -3 - code;
    const s = this.start[cell]!;
    const e = this.start[cell + 1]!;
    const xc = this.x0 + (i + 0.5) * this.cw;
    const yc = this.y0 + (j + 0.5) * this.ch;
    const hx0 = px < xc ? px : xc;
    const hx1 = px < xc ? xc : px;
    const vy0 = py < yc ? py : yc;
    const vy1 = py < yc ? yc : py;
    const segs = this.segs;
    const area = this.segArea;
    const flip = this.flip;
    for (let k = s; k < e; k++) {
      const o = k * 4;
      const ax = segs[o]!;
      const ay = segs[o + 1]!;
      const bx = segs[o + 2]!;
      const by = segs[o + 3]!;
      let f = 0;
      // horizontal leg at y = py, x in (hx0, hx1]
      if (ay > py !== by > py) {
        const x = ax + ((py - ay) * (bx - ax)) / (by - ay);
        if (x > hx0 && x <= hx1) f = 1;
      }
      // vertical leg at x = xc, y in (vy0, vy1]
      if (ax > xc !== bx > xc) {
        const y = ay + ((xc - ax) * (by - ay)) / (bx - ax);
        if (y > vy0 && y <= vy1) f ^= 1;
      }
      if (f) flip[area[k]!]! ^= 1;
    }
    let result = -1;
    let labFlipped = 0;
    for (let k = s; k < e; k++) {
      const a = area[k]!;
      const fa = flip[a]!;
      if (fa === 2) continue; // already examined
      if (a === lab) labFlipped = 1;
      const inside = a === lab ? fa === 0 : fa === 1;
      if (inside && (result < 0 || a < result)) result = a;
      flip[a] = 2;
    }
    for (let k = s; k < e; k++) flip[area[k]!] = 0;
    if (!labFlipped && lab >= 0 && (result < 0 || lab < result)) result = lab;
    return result;
  }

  /** Bytes held by the typed arrays of this index. */
  byteLength(): number {
    return this.code.byteLength + this.start.byteLength + this.segs.byteLength + this.segArea.byteLength + this.flip.byteLength;
  }
}
