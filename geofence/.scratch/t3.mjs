import * as turf from '@turf/turf';
import fs from 'fs';
const j0 = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm0.geojson', 'utf8'));
const j2 = JSON.parse(fs.readFileSync('../../infra/data/kgz/kgz-adm2.geojson', 'utf8'));
const b = j2.features.find(f => f.properties.id === 'KG11000000000');
for (const tol of [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03]) {
  const s = turf.simplify(j0.features[0], { tolerance: tol, highQuality: true });
  const sb = turf.simplify(b, { tolerance: tol, highQuality: true });
  console.log(tol, turf.coordAll(s).length, turf.coordAll(sb).length);
}
console.log(turf.coordAll(b).length);
