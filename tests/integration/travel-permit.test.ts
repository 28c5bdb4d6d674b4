import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const TAG = 'TRIP-TAG';
const OSH: [number, number] = [72.798, 40.532];

// PEC KR art. 166(2): an approved trip is a time-boxed permit. Inside it, being in the destination
// raises nothing; not being back when it ends is a permit overstay, not an anonymous district exit.
describe('PEC KR art. 166(2): a trip from Bishkek to Osh through the whole pipeline', () => {
  let p: TestPlatform;
  let client: string;
  let tag: TestTag;
  const T0 = Date.now() - 6 * 3_600_000;
  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX });
    client = await registerClient(p.pool, TAG);
    await p.pool.query(
      `insert into permits (client_id, category, destination_unit_ids, valid_from, valid_until)
       values ($1, 'exceptional_circumstances', '{KG21000000000}', to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0))`,
      [client, T0, T0 + 2 * 3_600_000],
    );
    tag = await connectTag(p, TAG);
  });
  afterAll(async () => {
    await tag?.close();
    await p?.stop();
  });

  const send = (seq: number, t: number) => tag.sendFix(OSH, t, seq);
  const alerts = async () => {
    await p.alerts.relay.drain();
    return (await p.pool.query<{ type: string; details: { permitId?: string } }>('select type, details from alerts where client_id = $1', [client])).rows;
  };

  it('raises nothing while the permit is valid', async () => {
    await tag.stored(await send(1, T0 + 3_600_000));
    await new Promise((r) => setTimeout(r, 500));
    expect(await alerts()).toEqual([]);
  });

  it('still in Osh after the permit ended: one permit_overstay alert naming the permit', async () => {
    await send(2, T0 + 3 * 3_600_000);
    const rows = await eventually(async () => {
      const r = await alerts();
      return r.length ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe('permit_overstay');
    expect(rows[0]!.details.permitId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
