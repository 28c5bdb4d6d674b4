import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

// Hysteresis through the real pipeline: ingest keeps the late-fix horizon in devices.last_fix_at
// and persists rule state only when it materially changes, so this checks that store-and-forward
// and out-of-order fixes, arriving in separate messages and batches, never flap an episode.
const TAG = 'LATE-TAG';
const BISHKEK: [number, number] = [74.59, 42.87];
const TOKMOK: [number, number] = [75.29, 42.84];

describe('late and out-of-order fixes through ingest', () => {
  let p: TestPlatform;
  let client: string;
  let tag: TestTag;
  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX });
    client = await registerClient(p.pool, TAG);
    tag = await connectTag(p, TAG);
  });
  afterAll(async () => {
    await tag?.close();
    await p?.stop();
  });

  const T0 = Date.now() - 3_600_000;
  const send = (seq: number, t: number, lonLat: [number, number]) => tag.sendFix(lonLat, t, seq);
  const stored = (seq: number) => tag.stored(seq);
  const alerts = async () => {
    await p.alerts.relay.drain();
    await new Promise((r) => setTimeout(r, 300));
    return (await p.pool.query<{ opened_at: Date; closed_at: Date | null }>('select opened_at, closed_at from alerts where client_id = $1 order by opened_at', [client])).rows;
  };

  it('an out-of-order fix from home does not close an open episode, a newer one does', async () => {
    await send(2, T0 + 60_000, TOKMOK);
    await stored(2);
    await eventually(async () => ((await alerts()).length === 1 ? true : undefined));
    // Older than the fix that opened the episode: late, so it must not close it.
    await send(1, T0, BISHKEK);
    await stored(1);
    let rows = await alerts();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.closed_at).toBeNull();
    const { rows: dev } = await p.pool.query<{ t: Date }>('select last_fix_at as t from devices where id = $1', [TAG]);
    expect(dev[0]!.t.getTime()).toBe(T0 + 60_000);
    await send(3, T0 + 120_000, BISHKEK);
    await stored(3);
    rows = await eventually(async () => {
      const r = await alerts();
      return r[0]?.closed_at ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.closed_at!.getTime()).toBe(T0 + 120_000);
  });

  it('a late store-and-forward batch that shows a past trip opens and closes that episode once', async () => {
    const base = T0 + 600_000;
    const fixes = [
      { seq: 10, t: base, lon: BISHKEK[0], lat: BISHKEK[1] },
      { seq: 11, t: base + 60_000, lon: TOKMOK[0], lat: TOKMOK[1] },
      { seq: 12, t: base + 120_000, lon: TOKMOK[0], lat: TOKMOK[1] },
      { seq: 13, t: base + 180_000, lon: BISHKEK[0], lat: BISHKEK[1] },
    ].map((f) => ({ ...f, acc: 5, src: 'gps' as const }));
    // Sent twice, as a tag retrying after a lost PUBACK would: still one episode.
    for (let i = 0; i < 2; i++) await tag.sendFixes(fixes);
    await stored(13);
    const rows = await eventually(async () => {
      const r = await alerts();
      return r.length === 2 && r[1]!.closed_at ? r : undefined;
    });
    expect(rows[1]!.opened_at.getTime()).toBe(base + 60_000);
    expect(rows[1]!.closed_at!.getTime()).toBe(base + 180_000);
  });

  it('a late batch that straddles the line, delivered after live fixes show the client home again, raises exactly one episode, marked late, with its true start', async () => {
    const base = T0 + 1_800_000;
    const at = (seq: number, minute: number, p: [number, number]) => ({ seq, t: base + minute * 60_000, lon: p[0], lat: p[1], acc: 5, src: 'gps' as const });
    // live: home at minutes 0-1 and again at 20-21
    await tag.sendFixes([at(100, 0, BISHKEK), at(101, 1, BISHKEK)]);
    await stored(101);
    await tag.sendFixes([at(120, 20, BISHKEK), at(121, 21, BISHKEK)]);
    await stored(121);
    const before = (await alerts()).length;
    // the buffered minutes 2-19, delivered after, shuffled: out from minute 5 to 12
    const late = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((m) => at(100 + m, m, m >= 5 && m <= 12 ? TOKMOK : BISHKEK));
    late.sort((a, b) => ((a.seq * 7919) % 13) - ((b.seq * 7919) % 13));
    await tag.sendFixes(late);
    await stored(119);
    const rows = await eventually(async () => {
      const r = await alerts();
      return r.length === before + 1 && r[before]!.closed_at ? r : undefined;
    });
    expect(rows[before]!.opened_at.getTime()).toBe(base + 5 * 60_000);
    expect(rows[before]!.closed_at!.getTime()).toBe(base + 13 * 60_000);
    const { rows: d } = await p.pool.query<{ details: { late?: boolean; confirmedAt: number } }>('select details from alerts where client_id = $1 order by opened_at desc limit 1', [client]);
    expect(d[0]!.details.late).toBe(true);
    // re-delivered: nothing new; the live state is closed (the client is home)
    await tag.sendFixes(late);
    await stored(119);
    expect(await alerts()).toHaveLength(before + 1);
    const { rows: st } = await p.pool.query<{ open: boolean }>(`select (state->'episode'->>'open')::boolean as open from rule_state where device_id = $1 and rule_id = 'residence'`, [TAG]);
    expect(st[0]!.open).toBe(false);
  });
});
