import fs from 'node:fs';
import { DistanceField } from '../distance-field.ts';
import { segmentsOfRings } from '../geo.ts';
const j = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm2.geojson', 'utf8'));
const j0 = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm0.geojson', 'utf8'));
const terr: [number, number, number, number] = [68.2, 38.2, 81.3, 44.3];
let s = 1;
const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
const N = 1_000_000;
const pts = new Float64Array(N * 2);
for (let i = 0; i < N; i++) { pts[2 * i] = 69.2 + rnd() * 11.1; pts[2 * i + 1] = 39.1 + rnd() * 4.2; }
const targets: [string, any][] = [['country', j0.features[0]], ['bishkek', j.features.find((f: any) => f.properties.id === 'KG11000000000')], ['atbashy', j.features.find((f: any) => f.properties.name_en === 'At-Bashy')]];
for (const [name, f] of targets) {
  const segs = segmentsOfRings(f.geometry.coordinates.flat(1), true);
  let t = performance.now();
  const df = new DistanceField(segs, terr);
  console.log(name, 'build ms', (performance.now() - t).toFixed(0), 'nodes', df.nodeCount, 'cands', df.candidateCount, 'MB', (df.byteLength() / 1e6).toFixed(2));
  for (let rep = 0; rep < 2; rep++) {
    t = performance.now(); let acc = 0;
    for (let i = 0; i < N; i++) acc += df.distance(pts[2 * i], pts[2 * i + 1]);
    console.log('  dist/s', (N / (performance.now() - t) * 1000).toFixed(0));
  }
  let maxRel = 0, maxAbs = 0;
  for (let i = 0; i < 20000; i++) {
    const a = df.distance(pts[2 * i], pts[2 * i + 1]), b = df.exactDistance(pts[2 * i], pts[2 * i + 1]);
    maxRel = Math.max(maxRel, Math.abs(a - b) / b); if (b < 2000) maxAbs = Math.max(maxAbs, Math.abs(a - b));
  }
  console.log('  maxRel', maxRel, 'maxAbs(<2km)', maxAbs);
}
