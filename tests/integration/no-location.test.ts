import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const DRIVER = 'NL-DRIVER';
const HOMEBODY = 'NL-HOMEBODY';
const FLAGGED = 'NL-FLAGGED';
const REPLAYED = 'NL-REPLAYED';

// no_location: GNSS lost while moving, then no usable fix for NO_LOCATION_AFTER_S (1 s here).
describe('no_location alerts over the real pipeline', () => {
  let p: TestPlatform;
  const clients: Record<string, string> = {};

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [DRIVER, HOMEBODY, FLAGGED, REPLAYED], env: { NO_LOCATION_AFTER_S: '1' } });
    for (const id of [DRIVER, HOMEBODY, FLAGGED, REPLAYED]) clients[id] = await registerClient(p.pool, id);
  });
  afterAll(async () => {
    await p?.stop();
  });

  const device = (id: string) => connectTag(p, id, { clientId: `tag-${id}` });
  const alertsOf = async (id: string) =>
    (await p.pool.query<{ type: string; closed_at: Date | null }>('select type, closed_at from alerts where client_id = $1 order by opened_at', [clients[id]])).rows;
  const gnssLostAt = async (id: string) => (await p.pool.query<{ g: Date | null }>('select gnss_lost_at as g from devices where id = $1', [id])).rows[0]!.g;

  // Central Bishkek, well inside the city: no place rule is involved.
  const LON = 74.6;
  const LAT = 42.87;

  it('a tag that loses GNSS while driving and sends only cell fixes raises no_location, which closes when GNSS returns', async () => {
    const c = await device(DRIVER);
    const t = Date.now() - 60_000;
    // Two GNSS fixes 300 m apart, 20 s apart: 15 m/s, clearly moving.
    await c.sendFixes([
      { seq: 1, t, lon: LON, lat: LAT, acc: 5, src: 'gps' },
      { seq: 2, t: t + 20_000, lon: LON, lat: LAT + 300 / 111_195, acc: 5, src: 'gps' },
    ]);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [DRIVER])).rowCount === 2 ? true : undefined));
    await c.sendEvents([{ seq: 1, t: t + 21_000, type: 'gps_lost' }]);
    await eventually(async () => ((await gnssLostAt(DRIVER)) ? true : undefined));
    await c.sendFixes([{ seq: 3, t: t + 30_000, lon: LON + 0.01, lat: LAT, acc: 900, src: 'cell' }]);
    const open = await eventually(async () => {
      const rows = await alertsOf(DRIVER);
      return rows.length === 1 ? rows : undefined;
    }, 300, 100);
    expect(open).toEqual([{ type: 'no_location', closed_at: null }]);
    await c.sendEvents([{ seq: 2, t: t + 40_000, type: 'gps_regained' }]);
    const closed = await eventually(async () => {
      const rows = await alertsOf(DRIVER);
      return rows[0]?.closed_at ? rows : undefined;
    }, 300, 100);
    expect(closed).toHaveLength(1);
    expect(await gnssLostAt(DRIVER)).toBeNull();
    await c.close();
  });

  it('the accelerometer flag decides without GNSS history; a tag at rest losing GNSS indoors raises nothing', async () => {
    const moving = await device(FLAGGED);
    const still = await device(HOMEBODY);
    const t = Date.now() - 60_000;
    await moving.sendEvents([{ seq: 1, t, type: 'gps_lost', moving: true }]);
    await still.sendFixes([
      { seq: 1, t, lon: LON, lat: LAT, acc: 8, src: 'gps' },
      { seq: 2, t: t + 20_000, lon: LON, lat: LAT, acc: 8, src: 'gps' },
    ]);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [HOMEBODY])).rowCount === 2 ? true : undefined));
    await still.sendEvents([{ seq: 1, t: t + 21_000, type: 'gps_lost' }]);
    await eventually(async () => ((await gnssLostAt(FLAGGED)) ? true : undefined));
    await moving.sendFixes([{ seq: 1, t: t + 10_000, lon: LON, lat: LAT, acc: 1500, src: 'cell' }]);
    await still.sendFixes([{ seq: 3, t: t + 40_000, lon: LON, lat: LAT, acc: 1500, src: 'cell' }]);
    await eventually(async () => ((await alertsOf(FLAGGED)).length === 1 ? true : undefined), 300, 100);
    // The homebody's cell fix was committed (it is stored) and still raised nothing.
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [HOMEBODY])).rowCount === 3 ? true : undefined));
    await p.alerts.relay.drain();
    expect(await alertsOf(HOMEBODY)).toEqual([]);
    expect(await gnssLostAt(HOMEBODY)).toBeNull();
    await moving.close();
    await still.close();
  });

  it('a store-and-forward upload whose fixes arrive before its gps_lost event opens nothing when GNSS came back meanwhile', async () => {
    const c = await device(REPLAYED);
    const t = Date.now() - 120_000;
    // The buffered fixes first (a good GNSS fix 5 s after the loss), then the buffered event.
    await c.sendFixes([{ seq: 1, t: t + 5_000, lon: LON, lat: LAT, acc: 6, src: 'gps' }]);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [REPLAYED])).rowCount === 1 ? true : undefined));
    await c.sendEvents([{ seq: 1, t, type: 'gps_lost', moving: true }]);
    await c.sendFixes([{ seq: 2, t: t + 60_000, lon: LON, lat: LAT, acc: 1500, src: 'cell' }]);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [REPLAYED])).rowCount === 2 ? true : undefined));
    await p.alerts.relay.drain();
    expect(await alertsOf(REPLAYED)).toEqual([]);
    expect(await gnssLostAt(REPLAYED)).toBeNull();
    await c.close();
  });
});
