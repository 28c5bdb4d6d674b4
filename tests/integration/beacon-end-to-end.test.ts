import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedTag } from '../../firmware-sim/simulated-tag.ts';
import { BISHKEK, createUser, registerClient, signIn, type Session, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, openEventStream, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Opening on the first qualifying fix, so that one beacon travels the whole path. The default
// hysteresis (several fixes over a dwell time) is exercised by the geofence's own tests.
const HOME_TAG = 'E2E-HOME';
const AWAY_TAG = 'E2E-AWAY';
const TOKMOK: [number, number] = [75.29, 42.84];

describe('one beacon end to end: tag → broker → ingest → geofence → BullMQ → alert → API and live stream', () => {
  let p: TestPlatform;
  let awayClient: string;
  let operator: Session;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [HOME_TAG, AWAY_TAG], episodeSettings: ONE_FIX });
    await registerClient(p.pool, HOME_TAG, { unitId: BISHKEK });
    awayClient = await registerClient(p.pool, AWAY_TAG, { unitId: BISHKEK });
    await createUser(p.pool, 'e2e-operator', 'operator');
    operator = await signIn(p.dashboardUrl, 'e2e-operator');
  });
  // Tags stay connected until the end: a tag that signs off announces it is offline, which is an
  // alert of its own (device_offline) and not what these tests are about.
  const tags: SimulatedTag[] = [];
  afterAll(async () => {
    for (const t of tags) await t.close();
    await p?.stop();
  });

  const tag = (id: string, at: [number, number]) => {
    const t = new SimulatedTag({ id, password: p.broker.devicePassword(id), movement: { kind: 'home', home: at, wanderM: 0 }, noiseM: 3 }, p.broker.topics);
    tags.push(t);
    return t;
  };

  it('stores a fix inside the district and raises nothing', async () => {
    const home = tag(HOME_TAG, [74.59, 42.87]);
    await home.connect(p.broker.url);
    await home.report();
    const published = home.stats.fixesAcked;
    expect(published).toBeGreaterThanOrEqual(1);
    const stored = await eventually(async () => {
      const { rows } = await p.pool.query<{ n: string }>('select count(*) as n from positions where device_id = $1', [HOME_TAG]);
      return Number(rows[0]!.n) === published ? published : undefined;
    });
    expect(stored).toBe(published);
    await p.alerts.relay.drain();
    const { rows } = await p.pool.query(`select 1 from alerts a join devices d on d.client_id = a.client_id where d.id = $1`, [HOME_TAG]);
    expect(rows).toHaveLength(0);
  });

  it('a fix in Tokmok from a Bishkek client becomes an alert in GET /api/alerts and on the live stream', async () => {
    const stream = openEventStream(`${p.dashboardUrl}/api/alerts/stream`, operator.headers);
    await stream.ready;
    const away = tag(AWAY_TAG, TOKMOK);
    await away.connect(p.broker.url);
    await away.report();

    const raised = await eventually(async () => stream.events.find((e) => e.event === 'alert.raised' && e.data.clientId === awayClient));
    expect(raised.data).toMatchObject({ type: 'residence_exit', severity: 'high', status: 'open', deviceId: AWAY_TAG });
    expect((raised.data.details as { articles: string[] }).articles.join(' ')).toMatch(/PEC KR art\. 166\(1\)/);

    const res = await operator.fetch(`/api/alerts?clientId=${awayClient}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { id: string; type: string; lon: number; lat: number }[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: raised.data.id, type: 'residence_exit' });
    expect(body.items[0]!.lon).toBeCloseTo(TOKMOK[0], 2);
    stream.close();
  });

  it('a redelivered beacon is stored once and raises no second alert', async () => {
    const before = await p.pool.query<{ n: string }>('select count(*) as n from positions where device_id = $1', [AWAY_TAG]);
    const { rows: fix } = await p.pool.query<{ t: string; seq: string; lon: number; lat: number }>(
      `select round(extract(epoch from device_time) * 1000)::int8 as t, seq, lon, lat from positions where device_id = $1`, [AWAY_TAG]);
    const tag = await connectTag(p, AWAY_TAG);
    await tag.sendFixes([{ seq: Number(fix[0]!.seq), t: Number(fix[0]!.t), lon: fix[0]!.lon, lat: fix[0]!.lat, acc: 4.5, src: 'gps' }]);
    await tag.close();
    await eventually(async () => (Number((await p.ingest.metrics.duplicates.get()).values[0]?.value ?? 0) >= 1 ? true : undefined));
    const after = await p.pool.query<{ n: string }>('select count(*) as n from positions where device_id = $1', [AWAY_TAG]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    await p.alerts.relay.drain();
    const alerts = await p.pool.query('select id from alerts where client_id = $1', [awayClient]);
    expect(alerts.rows).toHaveLength(1);
  });

  it('rejects a malformed beacon with a counted reason and keeps the good one beside it', async () => {
    const tag = await connectTag(p, HOME_TAG);
    const t = Date.now();
    await tag.client.publishAsync(p.broker.topics.fixes(HOME_TAG), '{"v":1,"device":', { qos: 1 });
    await tag.sendFix([74.6, 42.87], t, 500);
    await tag.close();
    await eventually(async () => {
      const { rows } = await p.pool.query('select 1 from positions where device_id = $1 and seq = 500', [HOME_TAG]);
      return rows.length === 1 ? true : undefined;
    });
    const rejected = await p.ingest.metrics.rejected.get();
    expect(rejected.values.find((v) => v.labels.reason === 'malformed_json')?.value).toBe(1);
    const dead = await p.pool.query<{ reason: string }>(`select reason from rejected_messages where topic = $1`, [p.broker.topics.fixes(HOME_TAG)]);
    expect(dead.rows.map((r) => r.reason)).toContain('malformed_json');
  });

  it('answers API requests with bad fields with a 400 naming the field', async () => {
    const res = await operator.fetch('/api/alerts?limit=100000');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'EM_VALIDATION', message: expect.stringContaining('limit') });
    const sev = await operator.fetch('/api/alerts?severity=apocalyptic');
    expect(sev.status).toBe(400);
    expect(((await sev.json()) as { message: string }).message).toContain('severity');
  });
});
