import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const TAG = 'CTX-TAG';
const BISHKEK_CENTRE: [number, number] = [74.6, 42.87];
const OSH: [number, number] = [72.798, 40.532];

// Ingest caches supervision contexts; here for ten minutes, so only the database's notification
// (migration 0012) can make a permit approved meanwhile, or revoked, count from the next fix.
describe('supervision-context changes reach the geofence at once', () => {
  let p: TestPlatform;
  let client: string;
  let tag: TestTag;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX, env: { INGEST_CONTEXT_TTL_MS: '600000' } });
    client = await registerClient(p.pool, TAG);
    tag = await connectTag(p, TAG);
  });
  afterAll(async () => {
    await tag?.close();
    await p?.stop();
  });

  const send = async (lonLat: [number, number]) => tag.stored(await tag.sendFix(lonLat, Date.now() - 1000));
  const alerts = async () => {
    await p.alerts.relay.drain();
    return (await p.pool.query<{ type: string }>('select type from alerts where client_id = $1 order by opened_at', [client])).rows.map((r) => r.type);
  };

  it('a permit approved after the context was cached is in force from the next fix; revoking it ends it', async () => {
    await send(BISHKEK_CENTRE); // ingest now holds the context, without any permit
    const { rows } = await p.pool.query<{ id: string }>(
      `insert into permits (client_id, category, destination_unit_ids, valid_from, valid_until)
       values ($1, 'exceptional_circumstances', '{KG21000000000}', now() - interval '1 hour', now() + interval '1 day') returning id`,
      [client],
    );
    // The notification is delivered at commit; give the listener a moment before the next fix.
    await new Promise((r) => setTimeout(r, 300));
    await send(OSH);
    await new Promise((r) => setTimeout(r, 300));
    expect(await alerts()).toEqual([]);

    await send(BISHKEK_CENTRE);
    await p.pool.query('update permits set revoked_at = now() where id = $1', [rows[0]!.id]);
    await new Promise((r) => setTimeout(r, 300));
    await send(OSH);
    expect(await eventually(async () => {
      const a = await alerts();
      return a.length ? a : undefined;
    })).toEqual(['residence_exit']);
  });

  it('after its database connection is killed the listener reconnects, and changes are in force again from the next fix', async () => {
    const listeners = async () =>
      (await p.pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() and query = 'listen supervision_context'`)).rows;
    const before = await listeners();
    expect(before.length).toBeGreaterThan(0);
    await p.pool.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [before.map((r) => r.pid)]);
    // A new LISTEN session appears (backoff starts at half a second).
    await eventually(async () => {
      const now = await listeners();
      return now.length && now.every((r) => !before.some((b) => b.pid === r.pid)) ? true : undefined;
    }, 100, 100);
    await send(BISHKEK_CENTRE);
    await p.alerts.relay.drain();
    const open = await p.pool.query<{ n: string }>('select count(*) as n from alerts where client_id = $1', [client]);
    await p.pool.query(
      `insert into permits (client_id, category, destination_unit_ids, valid_from, valid_until)
       values ($1, 'vacation', '{KG21000000000}', now() - interval '1 hour', now() + interval '1 day')`,
      [client],
    );
    await new Promise((r) => setTimeout(r, 300));
    await send(OSH);
    await new Promise((r) => setTimeout(r, 300));
    await p.alerts.relay.drain();
    const after = await p.pool.query<{ n: string }>('select count(*) as n from alerts where client_id = $1 and closed_at is null', [client]);
    // The residence_exit of the previous test closed when the tag came home; nothing new opened in Osh.
    expect(Number(after.rows[0]!.n)).toBe(0);
    expect(Number(open.rows[0]!.n)).toBeGreaterThan(0);
  });
});
