import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { derivedDevicePassword, type ServiceAccount } from './credentials.ts';
import { freePort, renderBrokerFiles, spawnMosquitto } from './mosquitto.ts';
import { topics, type Topics } from './topics.ts';

export interface LocalBrokerOptions {
  deviceIds?: string[];
  ingest: ServiceAccount;
  commander: ServiceAccount;
  /** Seed of the per-device passwords (credentials.ts). */
  seed: string;
  tls?: { certfile: string; keyfile: string };
  /** Prefix of the temporary run folder's name. */
  dirPrefix?: string;
}

export interface LocalBroker {
  url: string;
  port: number;
  topics: Topics;
  devicePassword(id: string): string;
  /** Adds devices to the password file and makes the broker reload it. */
  addDevices(ids: string[]): Promise<void>;
  stop(): Promise<void>;
  /** The broker process's id (changes on restart). */
  readonly pid: number | undefined;
  /** Stops and starts the same broker (same port, config and persistence). */
  restart(): Promise<void>;
}

/** Stops a child process and waits until it has exited (no-op if it already has). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A Mosquitto of the caller's own on a free port, with the project's configuration (auth, ACL,
 * queue limits, persistence) in a temporary folder: for tests, scenarios and simulator runs that
 * must never touch the system broker or the demo's.
 */
export async function startLocalBroker(opts: LocalBrokerOptions): Promise<LocalBroker> {
  const port = await freePort();
  const runDir = await mkdtemp(path.join(os.tmpdir(), opts.dirPrefix ?? 'em-broker-'));
  const t = topics();
  const ids = new Set(opts.deviceIds ?? []);
  const render = () =>
    renderBrokerFiles({
      runDir, port, bind: '127.0.0.1', topics: t, ingest: opts.ingest, commander: opts.commander, tls: opts.tls,
      devices: [...ids].map((id) => ({ id, password: derivedDevicePassword(opts.seed, id) })),
    });
  const conf = await render();
  let child: ChildProcess = await spawnMosquitto(conf, port);
  return {
    get pid() {
      return child.pid;
    },
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    topics: t,
    devicePassword: (id) => derivedDevicePassword(opts.seed, id),
    async addDevices(more) {
      for (const id of more) ids.add(id);
      await render();
      child.kill('SIGHUP');
      // Mosquitto reloads the password file asynchronously after SIGHUP.
      await new Promise((r) => setTimeout(r, 250));
    },
    async restart() {
      await stopChild(child);
      child = await spawnMosquitto(conf, port);
    },
    async stop() {
      await stopChild(child);
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
