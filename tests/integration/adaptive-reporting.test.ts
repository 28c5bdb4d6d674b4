import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kgzEngine } from '../../geofence/fixtures/kgz.ts';
import { BISHKEK, registerClient } from '../support/fixtures.ts';
import { readTrack } from '../../dashboard/cases/track-repository.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

// Adaptive reporting (issue 16) through the real pipeline with the production settings: the first
// suspicious fix, before any alert, makes the platform command the tag to report every 15 s for a
// bounded time (`until`, so the tag falls back by itself); the suspicion clearing restores the
// plan; both commands are in the device's history with their reason.
const TAG = 'ADAPT-TAG';

/** Points on the way from Bishkek's centre northwards: `metres` beyond (+) or inside (-) its line. */
function nearBishkekLine(metres: number): [number, number] {
  const e = kgzEngine();
  let lo = 42.87;
  let hi = 43.0;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (e.signedDistanceToUnit(BISHKEK, 74.6, mid) < 0) lo = mid;
    else hi = mid;
  }
  return [74.6, lo + metres / 111_000];
}

describe('adaptive reporting', () => {
  let p: TestPlatform;
  let tag: TestTag;
  let client: string;
  const commands: { cmd: string; interval_s: number; until?: number }[] = [];
  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG] });
    client = await registerClient(p.pool, TAG);
    tag = await connectTag(p, TAG, { accuracyM: 10, clientId: TAG, clean: false, properties: { sessionExpiryInterval: 600 } });
    tag.client.on('message', (_t, payload) => commands.push(JSON.parse(payload.toString()) as (typeof commands)[number]));
    await tag.client.subscribeAsync(p.broker.topics.command(TAG), { qos: 1 });
  });
  afterAll(async () => {
    await tag?.close();
    await p?.stop();
  });

  it('one fix 30 m beyond the district line asks for 15-s fixes until a bounded time, before any alert; back inside restores the plan', async () => {
    const t = Date.now() - 30_000;
    await tag.sendFix(nearBishkekLine(-200), t - 60_000);
    await tag.sendFix(nearBishkekLine(30), t);
    const fast = await eventually(async () => (commands.length >= 1 ? commands[0] : undefined), 300, 100);
    expect(fast).toMatchObject({ cmd: 'set_interval', interval_s: 15 });
    expect(fast!.until).toBe(t + 10 * 60_000);
    // one fix is never an exit: no alert yet
    expect((await p.pool.query(`select 1 from alerts where device_id = $1`, [TAG])).rowCount).toBe(0);
    const { rows: st } = await p.pool.query<{ suspect: boolean }>(`select (state->'episode'->>'suspect')::boolean as suspect from rule_state where device_id = $1 and rule_id = 'residence'`, [TAG]);
    expect(st[0]!.suspect).toBe(true);

    await tag.sendFix(nearBishkekLine(-200), t + 15_000);
    const plan = await eventually(async () => (commands.length >= 2 ? commands[1] : undefined), 300, 100);
    expect(plan).toMatchObject({ cmd: 'set_interval', interval_s: 60 });
    expect(plan!.until).toBeUndefined();
    // A command is recorded once the broker took it (alert-intent-worker.ts), so the tag may have
    // it a moment before its row exists.
    const rows = await eventually(async () => {
      const r = await p.pool.query<{ command: { interval_s: number; until?: number }; reason: string }>(
        'select command, reason from device_commands where device_id = $1 order by sent_at',
        [TAG],
      );
      return r.rows.length >= 2 ? r.rows : undefined;
    }, 300, 100);
    expect(rows!.map((r) => [r.command.interval_s, r.reason])).toEqual([
      [15, 'suspected residence'],
      [60, 'suspicion cleared'],
    ]);
    // ... and in the client's track, the device history an officer reads
    const track = await readTrack(p.pool, client, Date.now() - 3_600_000, Date.now() + 60_000, 100);
    expect(track.commands.map((c) => [c.deviceId, c.command.interval_s, c.reason])).toEqual([
      [TAG, 15, 'suspected residence'],
      [TAG, 60, 'suspicion cleared'],
    ]);
  });
});
