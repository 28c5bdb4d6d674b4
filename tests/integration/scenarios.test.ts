import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ALERT_TYPES } from '../../infra/domain/types.ts';
import { loadScenario, reportLines, ScenarioSession, type LoadedScenario } from '../../firmware-sim/scenario/scenario-session.ts';

// Every file of tests/scenarios, run by the same code as `npm run scenario`: the platform
// (throwaway broker, ingest, alerts) in this process on the integration database, real Redis
// under a prefix of its own. Files with equal platform settings run back to back on one platform.
const dir = fileURLToPath(new URL('../scenarios/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const loaded = await Promise.all(files.map((f) => loadScenario(`${dir}${f}`)));
const byFile = new Map(files.map((f, i) => [f, loaded[i]!] as const));
const order = [...files].sort((a, b) => keyOf(byFile.get(a)!).localeCompare(keyOf(byFile.get(b)!)) || a.localeCompare(b));

function keyOf(l: LoadedScenario): string {
  return l.ok ? l.key : '';
}

describe('scenarios (tests/scenarios/*.json)', () => {
  const session = new ScenarioSession(inject('databaseUrl'));
  afterAll(() => session.close());

  it('has a scenario that expects each alert type, and one per neighbouring country', () => {
    const expected = new Set(loaded.flatMap((l) => (l.ok ? l.scenario.expectations.map((e) => e.alert).filter((a) => a !== undefined) : [])));
    expect(ALERT_TYPES.filter((t) => !expected.has(t))).toEqual([]);
    for (const country of ['kazakhstan', 'uzbekistan', 'tajikistan', 'china']) expect(files).toContain(`country-exit-${country}.json`);
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of order) {
    it(file, async () => {
      const l = byFile.get(file)!;
      if (!l.ok) throw new Error(`invalid scenario ${file}:\n${l.errors.join('\n')}`);
      const r = await session.run(l.scenario);
      const report = reportLines(file, r).join('\n');
      if (!r.pass) throw new Error(report);
      console.log(report);
    });
  }
});
