import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopProcess } from './stop-process.ts';
import { freePort, waitForPort } from '../../infra/broker/mosquitto.ts';

export interface ThrowawayRedis {
  url: string;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, with an append-only file fsynced on every
 * write (the persistence docs/scaling.md asks of production), for tests that restart Redis.
 */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'em-redis-'));
  const start = async (): Promise<ChildProcess> => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
    await waitForPort(port);
    return child;
  };
  let child = await start();
  const stopChild = () => stopProcess(child);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async restart(downMs = 1000) {
      await stopChild();
      await new Promise((r) => setTimeout(r, downMs));
      child = await start();
    },
    async stop() {
      await stopChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
