import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOverrides } from './replay-overrides.ts';

// `npm run replay` as an analyst runs it: a file in, JSON lines out, errors naming the field.
const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BISHKEK: [number, number] = [74.59, 42.87];
const TOKMOK: [number, number] = [75.29, 42.84];
const minute = (m: number) => new Date(Date.parse('2026-11-02T08:00:00Z') + m * 60_000).toISOString();
const fix = (m: number, p: [number, number], deliveredMinute = m) => ({ t: minute(m), deliveredAt: new Date(Date.parse(minute(deliveredMinute)) + 2000).toISOString(), lon: p[0], lat: p[1], acc: 10, src: 'gps', extra: 'ignored' });
const doc = (fixes: unknown[]) => ({
  client: { regime: 'probation_supervision', residenceUnit: 'KG11000000000', home: BISHKEK },
  permits: [],
  device: { id: 'T-1', intervalSec: 60 },
  fixes,
  recordedBy: 'ignored too',
});

async function replayFile(data: unknown, args: string[] = []): Promise<{ code: number; out: string[]; err: string }> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(data));
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'ingest/replay/main.ts', file, ...args]);
    return { code: 0, out: r.stdout.trim().split('\n'), err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout.trim().split('\n').filter(Boolean), err: x.stderr };
  }
}

describe('npm run replay', () => {
  it('prints each episode as a JSON line (rule, start, confirmation, alert time, end, late) and the totals last', async () => {
    const fixes = [fix(0, BISHKEK), fix(1, TOKMOK), fix(2, TOKMOK), fix(3, TOKMOK), fix(4, BISHKEK), fix(5, BISHKEK), fix(6, BISHKEK)];
    // the trip's fixes again, as a tag retrying would: duplicates change nothing
    const r = await replayFile(doc([...fixes, fix(2, TOKMOK, 7)]));
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { rule: 'residence_unit', ruleId: 'residence', type: 'residence_exit', start: minute(1), confirmedAt: minute(2), alertAt: new Date(Date.parse(minute(2)) + 2000).toISOString(), end: minute(4), late: false },
      { totals: true, fixes: 8, deliveries: 8, duplicates: 1, episodes: 1, late: 0, open: 0, byRule: { residence_unit: 1 } },
    ]);
  }, 60_000);

  it('a late batch is marked late; proposed settings change the decision', async () => {
    const fixes = [fix(0, BISHKEK), fix(10, BISHKEK), fix(11, BISHKEK), ...[1, 2, 3, 4, 5].map((m) => fix(m, m < 4 ? TOKMOK : BISHKEK, 12))];
    const r = await replayFile(doc(fixes));
    expect(JSON.parse(r.out[0]!)).toMatchObject({ start: minute(1), end: minute(4), late: true, alertAt: new Date(Date.parse(minute(12)) + 2000).toISOString() });
    const settings = path.join(dir, 'strict.json');
    writeFileSync(settings, JSON.stringify({ rules: { residence_unit: { minFixes: 4, farM: 1e6 } } }));
    const strict = await replayFile(doc(fixes), ['--settings', settings]);
    expect(JSON.parse(strict.out.at(-1)!)).toMatchObject({ totals: true, episodes: 0 });
  }, 60_000);

  it('invalid input exits 2 with errors naming the field', async () => {
    const bad = doc([{ ...fix(0, BISHKEK), acc: -3 }, { ...fix(1, BISHKEK), t: 'yesterday' }]);
    (bad.client as { residenceUnit: string }).residenceUnit = 'KG11000000000';
    const r = await replayFile(bad);
    expect(r.code).toBe(2);
    expect(r.err).toContain('$.fixes[0].acc');
    expect(r.err).toContain('$.fixes[1].t');
    const unknown = await replayFile({ ...doc([]), client: { regime: 'probation_supervision', residenceUnit: 'KG99', home: BISHKEK } });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('$.client.residenceUnit: unknown unit KG99');
  }, 60_000);

  it('overrides: unknown rules and fields are errors, known ones apply', () => {
    expect(applyOverrides({ rules: { residence_unit: { openZ: 3 } } })).toMatchObject({ ok: true, settings: { episodes: { residence_unit: { openZ: 3 } } } });
    expect(applyOverrides({ rules: { residence: { openZ: 3 } }, fastInterval: 5 })).toEqual({
      ok: false,
      errors: ['$.rules.residence: unknown rule (residence_unit, country_border, exclusion_zone, curfew)', '$.fastInterval: unknown setting'],
    });
    expect(applyOverrides({ rules: { curfew: { openZ: 'high' } } })).toMatchObject({ ok: false, errors: ['$.rules.curfew.openZ: must be a number >= 0'] });
  });
});
