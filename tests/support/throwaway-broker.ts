import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { derivedDevicePassword } from '../../infra/broker/credentials.ts';
import { stopProcess } from './stop-process.ts';
import { freePort, renderBrokerFiles, spawnMosquitto } from '../../infra/broker/mosquitto.ts';
import { topics, type Topics } from '../../infra/broker/topics.ts';

export const TEST_SEED = 'integration-test-seed';
export const INGEST = { username: 'svc-ingest', password: 'it-ingest-pw' };
export const COMMANDER = { username: 'svc-commander', password: 'it-commander-pw' };

export interface ThrowawayBroker {
  url: string;
  port: number;
  topics: Topics;
  devicePassword(id: string): string;
  /** Adds devices to the password file and makes the broker reload it. */
  addDevices(ids: string[]): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * A Mosquitto of the test's own, on a free port, with the project's config (auth, ACL, queue
 * limits, persistence) in a temporary folder. Never the system broker.
 */
export async function startThrowawayBroker(deviceIds: string[], tls?: { certfile: string; keyfile: string }): Promise<ThrowawayBroker> {
  const port = await freePort();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'em-broker-'));
  const t = topics();
  const ids = new Set(deviceIds);
  const render = () =>
    renderBrokerFiles({
      runDir, port, bind: '127.0.0.1', topics: t, ingest: INGEST, commander: COMMANDER, tls,
      devices: [...ids].map((id) => ({ id, password: derivedDevicePassword(TEST_SEED, id) })),
    });
  const conf = await render();
  let child: ChildProcess = await spawnMosquitto(conf, port);
  const stopChild = () => stopProcess(child);
  return {
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    topics: t,
    devicePassword: (id) => derivedDevicePassword(TEST_SEED, id),
    async addDevices(more) {
      for (const id of more) ids.add(id);
      await render();
      child.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 200));
    },
    async restart() {
      await stopChild();
      child = await spawnMosquitto(conf, port);
    },
    async stop() {
      await stopChild();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
