import fs from 'node:fs';
import * as turf from '@turf/turf';
import { AreaGrid } from '../area-grid.ts';
import { DistanceTree } from '../distance-tree.ts';
import { segmentsOfRings } from '../geo.ts';
const j = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm2.geojson', 'utf8'));
const j0 = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm0.geojson', 'utf8'));
const areas = j.features.map((f: any) => segmentsOfRings(f.geometry.coordinates.flat(1), true));
let t = performance.now();
const g = new AreaGrid(areas);
console.log('grid', performance.now() - t, g.nx, g.ny, g.byteLength() / 1e6);
t = performance.now();
const c0 = segmentsOfRings(j0.features[0].geometry.coordinates.flat(1), true);
const dt = new DistanceTree(c0, [69, 39, 81, 44]);
console.log('tree country', performance.now() - t, dt.nodeCount, dt.byteLength() / 1e6);
t = performance.now();
const bi = j.features.findIndex((f: any) => f.properties.id === 'KG11000000000');
const dtb = new DistanceTree(areas[bi], [69, 39, 81, 44]);
console.log('tree bishkek', performance.now() - t, dtb.nodeCount, dtb.byteLength() / 1e6);
let s = 1;
const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
const N = 1_000_000;
const pts = new Float64Array(N * 2);
for (let i = 0; i < N; i++) { pts[2 * i] = 69.2 + rnd() * 11.1; pts[2 * i + 1] = 39.1 + rnd() * 4.2; }
for (let rep = 0; rep < 3; rep++) {
t = performance.now(); let acc = 0;
for (let i = 0; i < N; i++) acc += g.locate(pts[2 * i], pts[2 * i + 1]);
console.log('locate/s', N / (performance.now() - t) * 1000, acc);
t = performance.now(); acc = 0;
for (let i = 0; i < N; i++) acc += dt.distance(pts[2 * i], pts[2 * i + 1]);
console.log('dist country/s', N / (performance.now() - t) * 1000, acc);
t = performance.now(); acc = 0;
for (let i = 0; i < N; i++) acc += dtb.distance(pts[2 * i], pts[2 * i + 1]);
console.log('dist bishkek/s', N / (performance.now() - t) * 1000, acc);
}
// correctness vs turf on 20k points
let dis = 0; const M = 20000;
t = performance.now();
for (let i = 0; i < M; i++) {
  const p = [pts[2 * i], pts[2 * i + 1]];
  let tu = -1;
  for (let a = 0; a < j.features.length; a++) if (turf.booleanPointInPolygon(p, j.features[a])) { tu = a; break; }
  if (tu !== g.locate(p[0], p[1])) dis++;
}
console.log('dis', dis, 'turf/s', M / (performance.now() - t) * 1000);
let maxErr = 0;
for (let i = 0; i < 300; i++) {
  const p = [pts[2 * i], pts[2 * i + 1]];
  const d = Math.abs(turf.pointToPolygonDistance(p, j.features[bi], { units: 'meters' }));
  const e = dtb.distance(p[0], p[1]);
  maxErr = Math.max(maxErr, Math.abs(d - e) / d);
}
console.log('max rel err bishkek', maxErr);
