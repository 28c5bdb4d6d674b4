/**
 * `npm run replay -- <track.json> [--settings <overrides.json>]`: runs a recorded track through
 * the production decision code with the production settings (or with proposed overrides) and
 * prints every episode as one JSON line, then one line of totals. Format: docs/replay.md.
 * Exit status: 0 done, 2 the input (or the overrides) is invalid; errors name the field.
 */
import { readFile } from 'node:fs/promises';
import { createGeofenceEngine } from '../../geofence/index.ts';
import { readAdminUnits } from '../../infra/geo/kgz-data.ts';
import { replay } from './replay-session.ts';
import { replayInputErrors, type ReplayInputDoc } from './replay-schema.ts';
import { applyOverrides } from './replay-overrides.ts';

function fail(lines: string[]): never {
  for (const l of lines) process.stderr.write(`${l}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const settingsAt = args.indexOf('--settings');
const overridesFile = settingsAt >= 0 ? args[settingsAt + 1] : undefined;
const file = args.find((a, i) => !a.startsWith('--') && (settingsAt < 0 || i !== settingsAt + 1));
if (!file || (settingsAt >= 0 && !overridesFile)) fail(['usage: npm run replay -- <track.json> [--settings <overrides.json>]']);

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    fail([`${path}: ${(err as Error).message}`]);
  }
}

const data = await readJson(file);
const units = await readAdminUnits();
const errors = replayInputErrors(data, new Set(units.filter((u) => u.level === 2).map((u) => u.id)));
if (errors.length) fail(errors.map((e) => `${file}: ${e}`));
const overrides = overridesFile ? applyOverrides(await readJson(overridesFile)) : applyOverrides({});
if (!overrides.ok) fail(overrides.errors.map((e) => `${overridesFile}: ${e}`));

const engine = createGeofenceEngine(units);
const { episodes, totals } = replay(engine, data as ReplayInputDoc, overrides.settings);
for (const e of episodes) process.stdout.write(`${JSON.stringify(e)}\n`);
process.stdout.write(`${JSON.stringify(totals)}\n`);
