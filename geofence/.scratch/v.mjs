import * as turf from '@turf/turf';
import fs from 'fs';
for (const f of ['adm0','adm2']) {
  const j = JSON.parse(fs.readFileSync(`../../infra/data/kgz/kgz-${f}.geojson`));
  let t = performance.now();
  let ok = j.features.map(x => turf.booleanValid(x));
  console.log(f, ok.every(Boolean), performance.now() - t);
}
