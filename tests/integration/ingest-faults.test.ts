import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type pg from 'pg';
import { createPool } from '../../infra/db/sql.ts';
import { registerClient } from '../support/fixtures.ts';
import { publishFleet } from '../support/fleet-publisher.ts';
import { spawnIngest, type IngestProcess } from '../support/ingest-process.ts';
import { eventually } from '../support/platform.ts';
import { INGEST, TEST_SEED, startThrowawayBroker, type ThrowawayBroker } from '../support/throwaway-broker.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';

// Every test here publishes a stream of QoS 1 messages, breaks something mid-stream, and then
// checks that each published fix is stored exactly once: no loss, no duplicate.

const DEVICES = 20;
const PER_DEVICE = 60;

function ingestEnv(broker: ThrowawayBroker, databaseUrl: string, instance: string, shareGroup = ''): Record<string, string> {
  return {
    MQTT_SHARE_GROUP: shareGroup,
    DATABASE_URL: databaseUrl,
    MQTT_URL: broker.url,
    MQTT_INGEST_USERNAME: INGEST.username,
    MQTT_INGEST_PASSWORD: INGEST.password,
    DEVICE_PASSWORD_SEED: TEST_SEED,
    INGEST_INSTANCE_ID: instance,
    INGEST_BATCH_MS: '20',
  };
}

async function storedCount(pool: pg.Pool, prefix: string): Promise<{ rows: number; distinct: number }> {
  const { rows } = await pool.query<{ rows: string; distinct: string }>(
    `select count(*) as rows, count(distinct (device_id, device_time, seq)) as distinct from positions where device_id like $1`,
    [`${prefix}%`],
  );
  return { rows: Number(rows[0]!.rows), distinct: Number(rows[0]!.distinct) };
}

async function registerFleet(pool: pg.Pool, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: DEVICES }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  for (const id of ids) await registerClient(pool, id);
  return ids;
}

/** Waits until `n` fixes of the fleet are stored (or fails after the attempts). */
const waitStored = (pool: pg.Pool, prefix: string, n: number, attempts = 1200) =>
  eventually(async () => ((await storedCount(pool, prefix)).rows >= n ? true : undefined), attempts, 100);

describe('ingest stores every acknowledged fix exactly once under faults', () => {
  const procs: IngestProcess[] = [];
  let pool: pg.Pool;

  beforeAll(() => {
    pool = createPool(inject('databaseUrl'), 3);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.kill('SIGKILL');
  });
  afterAll(async () => {
    await pool.end();
  });

  it('SIGKILL of the ingest process mid-stream, then a restart with the same session', async () => {
    const prefix = 'FK-KILL-';
    const ids = await registerFleet(pool, prefix);
    const broker = await startThrowawayBroker(ids);
    try {
      const env = ingestEnv(broker, inject('databaseUrl'), 'fault-kill');
      procs.push(await spawnIngest(env));
      const publishing = publishFleet({ url: broker.url, topics: broker.topics, deviceIds: ids, password: broker.devicePassword, messagesPerDevice: PER_DEVICE, durationMs: 4000 });
      await waitStored(pool, prefix, 200);
      await procs[0]!.kill('SIGKILL');
      const atKill = (await storedCount(pool, prefix)).rows;
      expect(atKill).toBeLessThan(DEVICES * PER_DEVICE);
      procs.push(await spawnIngest(env));
      const { published } = await publishing;
      await waitStored(pool, prefix, published);
      await new Promise((r) => setTimeout(r, 500));
      expect(await storedCount(pool, prefix)).toEqual({ rows: published, distinct: published });
    } finally {
      await broker.stop();
    }
  });

  it('two ingest processes on one shared subscription split the stream and store it exactly once', async () => {
    const prefix = 'FK-TWO-';
    const ids = await registerFleet(pool, prefix);
    const broker = await startThrowawayBroker(ids);
    try {
      const a = await spawnIngest(ingestEnv(broker, inject('databaseUrl'), 'fault-two-a', 'ingest'));
      const b = await spawnIngest(ingestEnv(broker, inject('databaseUrl'), 'fault-two-b', 'ingest'));
      procs.push(a, b);
      const { published } = await publishFleet({ url: broker.url, topics: broker.topics, deviceIds: ids, password: broker.devicePassword, messagesPerDevice: PER_DEVICE, durationMs: 2000 });
      await waitStored(pool, prefix, published);
      await new Promise((r) => setTimeout(r, 500));
      expect(await storedCount(pool, prefix)).toEqual({ rows: published, distinct: published });
      const [sa, sb] = [await a.counter('em_ingest_fixes_stored_total'), await b.counter('em_ingest_fixes_stored_total')];
      expect(sa + sb).toBe(published);
      expect(sa).toBeGreaterThan(0);
      expect(sb).toBeGreaterThan(0);
    } finally {
      await broker.stop();
    }
  });

  // Both subscription modes: the default single instance (plain persistent subscription) and a
  // shared-subscription group, which ingest must re-establish itself because Mosquitto 2.0.11 does
  // not restore shared subscriptions after a restart.
  it.each([
    ['plain persistent subscription', ''],
    ['shared subscription', 'ingest'],
  ])('a broker restart mid-stream loses nothing (%s)', async (_mode, group) => {
    const prefix = `FK-BRK${group ? 'S' : 'P'}-`;
    const ids = await registerFleet(pool, prefix);
    const broker = await startThrowawayBroker(ids);
    try {
      procs.push(await spawnIngest(ingestEnv(broker, inject('databaseUrl'), `fault-broker-${group || 'plain'}`, group)));
      const publishing = publishFleet({ url: broker.url, topics: broker.topics, deviceIds: ids, password: broker.devicePassword, messagesPerDevice: PER_DEVICE, durationMs: 4000 });
      await waitStored(pool, prefix, 200);
      await broker.restart();
      const { published } = await publishing;
      await waitStored(pool, prefix, published, 300);
      await new Promise((r) => setTimeout(r, 500));
      expect(await storedCount(pool, prefix)).toEqual({ rows: published, distinct: published });
    } finally {
      await broker.stop();
    }
  });

  describe('with a PostgreSQL of its own', () => {
    let db: ThrowawayPostgres;
    let own: pg.Pool;
    beforeAll(async () => {
      db = await startThrowawayPostgres();
      own = createPool(db.url, 3);
    });
    afterAll(async () => {
      await own?.end();
      await db?.stop();
    });

    it('a PostgreSQL crash and restart mid-stream loses nothing and duplicates nothing', async () => {
      const prefix = 'FK-PG-';
      const ids = await registerFleet(own, prefix);
      const broker = await startThrowawayBroker(ids);
      try {
        const ingest = await spawnIngest(ingestEnv(broker, db.url, 'fault-pg'));
        procs.push(ingest);
        const publishing = publishFleet({ url: broker.url, topics: broker.topics, deviceIds: ids, password: broker.devicePassword, messagesPerDevice: PER_DEVICE, durationMs: 5000 });
        await waitStored(own, prefix, 200);
        await db.crashAndRestart(1500);
        const { published } = await publishing;
        await waitStored(own, prefix, published, 300).catch(async (err: Error) => {
          // Leave what ingest said, and how far it got, in the failure.
          throw new Error(`${err.message}: ${(await storedCount(own, prefix)).rows}/${published} stored; ingest said:\n${ingest.output().slice(-4000)}`);
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(await storedCount(own, prefix)).toEqual({ rows: published, distinct: published });
        // The outage really hit ingest: some commits failed and were retried.
        expect(await ingest.counter('em_ingest_write_errors_total')).toBeGreaterThan(0);
      } finally {
        await broker.stop();
      }
    });
  });
});
