import fs from 'node:fs';
import { DistanceTree } from '../distance-tree.ts';
import { segmentsOfRings } from '../geo.ts';
const j0 = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm0.geojson', 'utf8'));
const c0 = segmentsOfRings(j0.features[0].geometry.coordinates.flat(1), true);
for (const md of [6, 8, 10, 12]) {
  const t = performance.now();
  const dt: any = new DistanceTree(c0, [69, 39, 81, 44], { maxDepth: md });
  const ce = dt.candEnd, cs = dt.candStart, ch = dt.child;
  let leaves = 0, maxc = 0, tot = 0;
  for (let i = 0; i < dt.nodeCount; i++) if (ch[i] < 0) { leaves++; const n = ce[i] - cs[i]; tot += n; maxc = Math.max(maxc, n); }
  console.log(md, performance.now() - t, dt.nodeCount, leaves, tot, maxc);
}
