import { execFileSync, execFile } from 'node:child_process';
import { chownSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../infra/broker/mosquitto.ts';
import { provisionDatabase } from '../../infra/db/provision.ts';
import { kgzUnits } from './kgz.ts';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  url: string;
  /** Stops the server abruptly (as a crash would: no checkpoint) and starts it again. */
  crashAndRestart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root; as root the cluster is owned and run by `postgres`. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function binDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port), migrated and
 * with the boundary data imported, for tests that stop or crash the database. Never the system
 * server that CI shares.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'em-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const port = await freePort();
  await run(...asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']));
  const pgctl = (args: string[]) => run(...asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, ...args]));
  const start = () =>
    pgctl(['-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=50`, 'start']);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await provisionDatabase(url, { importedBy: 'test import of infra/data/kgz', units: await kgzUnits() });
  return {
    url,
    async crashAndRestart(downMs = 1000) {
      await pgctl(['-m', 'immediate', '-w', 'stop']);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async stop() {
      await pgctl(['-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
