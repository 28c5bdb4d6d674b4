import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { derivedDevicePassword, type ServiceAccount } from '../../infra/broker/credentials.ts';
import { freePort, renderBrokerFiles, spawnMosquitto } from '../../infra/broker/mosquitto.ts';
import { topics, type Topics } from '../../infra/broker/topics.ts';

export interface ScenarioBroker {
  url: string;
  topics: Topics;
  ingest: ServiceAccount;
  commander: ServiceAccount;
  seed: string;
  devicePassword(id: string): string;
  /** Adds devices to the password file and makes the broker reload it. */
  addDevices(ids: string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Mosquitto of the runner's own on a free port, with the project's configuration (auth, ACL,
 * persistence) in a temporary folder and random service passwords, so a scenario never talks to
 * the demo's broker or sees its tags.
 */
export async function startScenarioBroker(): Promise<ScenarioBroker> {
  const port = await freePort();
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'em-scenario-broker-'));
  const secret = () => randomBytes(12).toString('base64url');
  const ingest = { username: 'svc-ingest', password: secret() };
  const commander = { username: 'svc-commander', password: secret() };
  const seed = secret();
  const t = topics();
  const ids = new Set<string>();
  const render = () =>
    renderBrokerFiles({
      runDir, port, bind: '127.0.0.1', topics: t, ingest, commander,
      devices: [...ids].map((id) => ({ id, password: derivedDevicePassword(seed, id) })),
    });
  const child: ChildProcess = await spawnMosquitto(await render(), port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    topics: t,
    ingest,
    commander,
    seed,
    devicePassword: (id) => derivedDevicePassword(seed, id),
    async addDevices(more) {
      for (const id of more) ids.add(id);
      await render();
      child.kill('SIGHUP');
      // Mosquitto reloads the password file asynchronously after SIGHUP.
      await new Promise((r) => setTimeout(r, 250));
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
