import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cityFor, movementFor } from '../../firmware-sim/demo-fleet.ts';
import { derivedDevicePassword } from '../../infra/broker/credentials.ts';
import { freePort, renderBrokerFiles, spawnMosquitto } from '../../infra/broker/mosquitto.ts';
import { topics, type Topics } from '../../infra/broker/topics.ts';
import { recreateDatabase } from '../../infra/db/ensure-database.ts';
import { provisionDatabase } from '../../infra/db/provision.ts';
import type { LonLat } from '../../infra/domain/types.ts';

/** What the benchmarks share: a fresh database, a registered fleet and the project's broker. */
export const BENCH_SEED = 'bench-seed';
export const BENCH_INGEST = { username: 'svc-ingest', password: 'bench-ingest' };
export const BENCH_COMMANDER = { username: 'svc-commander', password: 'bench-commander' };
export const BENCH_PUBLISHER = { username: 'svc-bench', password: 'bench-publisher' };

export const benchDeviceId = (i: number) => `BENCH${String(i).padStart(6, '0')}`;

export function benchHome(i: number): LonLat {
  const id = benchDeviceId(i);
  const city = cityFor(i + 1);
  const m = movementFor(id, city);
  return m.kind === 'home' ? m.home : city.centre;
}

/** Drops and recreates `name` next to DATABASE_URL's database, migrated, with the boundaries. */
export async function freshBenchDatabase(name: string): Promise<{ url: string; pool: pg.Pool }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kgz_em');
  const url = new URL(base);
  url.pathname = `/${name}`;
  await recreateDatabase(url.toString());
  await provisionDatabase(url.toString(), { importedBy: 'bench import of infra/data/kgz' });
  return { url: url.toString(), pool: new pg.Pool({ connectionString: url.toString(), max: 4 }) };
}

/** Registers `count` clients and tags, living in the demo cities (bulk, one statement each). */
export async function registerBenchFleet(pool: pg.Pool, count: number, first = 0): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, k) => benchDeviceId(first + k));
  const clients = ids.map(() => randomUUID());
  const units = ids.map((_, k) => cityFor(first + k + 1).unitId);
  await pool.query(
    `insert into clients (id, full_name, regime, court_decision_date, effective_date, term_months, residence_unit_id, district_id)
     select c, 'Bench client ' || d, 'probation_supervision', current_date - 60, current_date - 50, 24, u, u
       from unnest($1::uuid[], $2::text[], $3::text[]) as x(c, d, u)`,
    [clients, ids, units],
  );
  await pool.query(`insert into devices (id, client_id, status) select d, c, 'assigned' from unnest($1::text[], $2::uuid[]) as x(d, c)`, [ids, clients]);
  return ids;
}

export interface BenchBroker {
  url: string;
  topics: Topics;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The project's broker config, on a free port, with the bench publisher account added. */
export async function startBenchBroker(deviceIds: string[]): Promise<BenchBroker> {
  const port = await freePort();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'em-bench-broker-'));
  const t = topics();
  const conf = await renderBrokerFiles({
    runDir, port, bind: '127.0.0.1', topics: t, ingest: BENCH_INGEST, commander: BENCH_COMMANDER, bench: BENCH_PUBLISHER,
    devices: deviceIds.map((id) => ({ id, password: derivedDevicePassword(BENCH_SEED, id) })),
  });
  const child = await spawnMosquitto(conf, port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    topics: t,
    child,
    async stop() {
      child.kill('SIGTERM');
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
