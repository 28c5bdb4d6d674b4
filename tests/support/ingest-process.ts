import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopProcess } from './stop-process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  /** The port its /metrics listens on (ingest only; 0 otherwise). */
  metricsPort: number;
  /** Reads one counter from its /metrics (sum over labels). */
  counter(name: string): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}
export type IngestProcess = ServiceProcess;

/**
 * Runs a service's main.ts as a real separate process (so SIGKILL is a real crash) and waits for
 * the log line that says it is ready.
 */
export async function spawnService(script: string, ready: RegExp, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    // At info level: readiness is read from the log line that says so.
    env: { ...process.env, INGEST_METRICS_PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(Number(m[1] ?? 0));
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`)));
  });
  return {
    child,
    metricsPort: port,
    async counter(name) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(name) && !l.startsWith('#'))
        .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    },
    kill: (signal = 'SIGKILL') => stopProcess(child, signal),
    output: () => out,
  };
}

export const spawnIngest = (env: Record<string, string>, nodeArgs: string[] = []) =>
  spawnService('ingest/main.ts', /"metricsPort":(\d+).*"msg":"ingest ready"/, env, nodeArgs);

export const spawnAlerts = (env: Record<string, string>) => spawnService('alerts/main.ts', /"msg":"alerts running/, env);
