import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../infra/config/config.ts';
import { createScenarioDatabase } from './scenario-database.ts';
import { scenarioJsonSchema, SCHEMA_FILE } from './scenario-json-schema.ts';
import { loadScenario, reportLines, ScenarioSession } from './scenario-session.ts';

/**
 * `npm run scenario -- FILE...` validates each file, starts the platform in this process with the
 * scenario's thresholds (throwaway broker, ingest, alerts) on a scratch database next to
 * DATABASE_URL's and Redis under a prefix of its own, runs the timelines, prints one line per
 * expectation and exits 1 if any failed (2 if a file is invalid). Nothing of a running demo is
 * touched. `--write-schema` writes docs/scenario.schema.json; `--check` only validates.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'write-schema': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

if (values['write-schema']) {
  await writeFile(SCHEMA_FILE, scenarioJsonSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
  process.exit(0);
}
if (!positionals.length) {
  console.error('usage: npm run scenario -- [--check] [--verbose] FILE...   (or --write-schema)');
  process.exit(2);
}

const loaded = await Promise.all(positionals.map(loadScenario));
let invalid = false;
for (const l of loaded) {
  if (l.ok) continue;
  invalid = true;
  console.log(`INVALID ${l.file}`);
  for (const e of l.errors) console.log(`  ${e}`);
}
if (invalid) process.exit(2);
if (values.check) {
  for (const l of loaded) console.log(`valid ${l.file}`);
  process.exit(0);
}

const config = loadConfig();
const db = await createScenarioDatabase(config.DATABASE_URL, randomBytes(4).toString('hex'));
const session = new ScenarioSession(db.url, values.verbose ? (l) => console.log(l) : undefined);
let failed = 0;
try {
  // Files with the same platform settings run back to back on one platform.
  const order = [...loaded].sort((a, b) => (a.ok && b.ok ? a.key.localeCompare(b.key) : 0));
  for (const l of order) {
    if (!l.ok) continue;
    const r = await session.run(l.scenario);
    if (!r.pass) failed++;
    for (const line of reportLines(l.file, r)) console.log(line);
  }
} finally {
  await session.close();
  await db.drop();
}
console.log(`${loaded.length - failed}/${loaded.length} scenarios passed`);
process.exit(failed ? 1 : 0);
