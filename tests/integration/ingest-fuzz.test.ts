import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient } from '../support/fixtures.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const TAG = 'FUZZ-TAG';
const MALFORMED = 10_000;
const GOOD_EVERY = 100;

/** Malformed payloads of every kind a broken or hostile tag could send; none can be valid. */
function malformedPayloads(n: number, now: number): Buffer[] {
  const fix = { seq: 1, t: now - 1000, lon: 74.59, lat: 42.87, acc: 5, src: 'gps' };
  const wrongType = fc.oneof(fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
  const arb = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.string({ maxLength: 200 }).map((s) => Buffer.from(`{"v":1,"device":"${TAG}","fixes":[${s}`)),
    fc.tuple(fc.constantFrom('seq', 't', 'lon', 'lat', 'acc', 'src'), wrongType).map(([k, v]) =>
      Buffer.from(JSON.stringify({ v: 1, device: TAG, fixes: [{ ...fix, [k]: v }] }))),
    fc.tuple(fc.constantFrom('lat', 'lon'), fc.oneof(fc.double({ min: 180.0001, max: 1e308 }), fc.double({ min: -1e308, max: -180.0001 }))).map(([k, v]) =>
      Buffer.from(JSON.stringify({ v: 1, device: TAG, fixes: [{ ...fix, [k]: v }] }))),
    fc.integer({ min: 10 * 60_000, max: 1e12 }).map((ahead) => Buffer.from(JSON.stringify({ v: 1, device: TAG, fixes: [{ ...fix, t: now + ahead }] }))),
    fc.string({ minLength: 3, maxLength: 20 }).filter((d) => d !== TAG).map((d) => Buffer.from(JSON.stringify({ v: 1, device: d, fixes: [fix] }))),
    fc.constant(Buffer.alloc(70_000, 0x7b)),
    fc.constant(Buffer.from(JSON.stringify({ v: 1, device: TAG, fixes: [] }))),
    fc.constant(Buffer.from('{"v":1,"device":"' + TAG + '","fixes":[' + '['.repeat(5000) + ']'.repeat(5000) + ']}')),
  );
  return fc.sample(arb, { numRuns: n, seed: 4242 });
}

describe('ingest under a fuzz of malformed payloads', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG] });
    await registerClient(p.pool, TAG);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('keeps a payload with a NUL byte in the dead-letter store, byte for byte, with a readable preview (issue 18)', async () => {
    const dev = await mqtt.connectAsync(p.broker.url, { protocolVersion: 5, username: TAG, password: p.broker.devicePassword(TAG), reconnectPeriod: 0 });
    // First in the file: the sampler keeps a few dead letters per reason and minute, and the big fuzz below uses them up.
    const payload = Buffer.from(`{"v":1,"device":"${TAG}\u0000","fixes":[{"seq":1,"t":1,"lon":74.5,"lat":42.8,"acc":5,"src":"gps"}]}`);
    expect(payload.includes(0)).toBe(true);
    await dev.publishAsync(p.broker.topics.fixes(TAG), payload, { qos: 1 });
    await dev.endAsync();
    const row = await eventually(async () => {
      const { rows } = await p.pool.query<{ payload: Buffer; sample: string }>(`select payload, sample from rejected_messages where topic = $1 and position('\\x00'::bytea in payload) > 0`, [p.broker.topics.fixes(TAG)]);
      return rows[0];
    }, 300, 100);
    expect(Buffer.compare(row.payload, payload)).toBe(0);
    expect(row.sample).toContain('\\u0000');
  });

  it(`rejects and counts each of ${MALFORMED} malformed payloads, and stores every good one between them`, async () => {
    const now = Date.now();
    const bad = malformedPayloads(MALFORMED, now);
    const rejectedBefore = (await p.ingest.metrics.rejected.get()).values.reduce((s, v) => s + v.value, 0);
    const dev = await mqtt.connectAsync(p.broker.url, { protocolVersion: 5, username: TAG, password: p.broker.devicePassword(TAG), reconnectPeriod: 0 });
    const acks: Promise<unknown>[] = [];
    let good = 0;
    for (let i = 0; i < bad.length; i++) {
      acks.push(dev.publishAsync(p.broker.topics.fixes(TAG), bad[i]!, { qos: 1 }));
      if (i % GOOD_EVERY === 0) {
        const fix = { seq: 100_000 + good, t: now - 60_000 + good, lon: 74.59, lat: 42.87, acc: 5, src: 'gps' };
        acks.push(dev.publishAsync(p.broker.topics.fixes(TAG), JSON.stringify({ v: 1, device: TAG, fixes: [fix] }), { qos: 1 }));
        good++;
      }
    }
    await Promise.all(acks);
    await dev.endAsync();

    const rejected = await eventually(async () => {
      const n = (await p.ingest.metrics.rejected.get()).values.reduce((s, v) => s + v.value, 0) - rejectedBefore;
      return n >= MALFORMED ? n : undefined;
    }, 600, 100);
    expect(rejected).toBe(MALFORMED);
    const stored = await eventually(async () => {
      const { rows } = await p.pool.query<{ n: string }>('select count(*) as n from positions where device_id = $1 and seq >= 100000', [TAG]);
      return Number(rows[0]!.n) === good ? good : undefined;
    });
    expect(stored).toBe(good);
    // Still alive and taking messages.
    const byReason = Object.fromEntries((await p.ingest.metrics.rejected.get()).values.map((v) => [v.labels.reason, v.value]));
    for (const reason of ['malformed_json', 'schema', 'coordinates_out_of_range', 'future_time', 'device_mismatch', 'oversized']) {
      expect(byReason[reason], reason).toBeGreaterThan(0);
    }
    const dead = await p.pool.query<{ n: string }>(`select count(*) as n from rejected_messages where topic = $1`, [p.broker.topics.fixes(TAG)]);
    expect(Number(dead.rows[0]!.n)).toBeGreaterThan(0);
  });
});
