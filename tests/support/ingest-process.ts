import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface IngestProcess {
  child: ChildProcess;
  /** The port its /metrics listens on. */
  metricsPort: number;
  /** Reads one counter from its /metrics (sum over labels). */
  counter(name: string): Promise<number>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

/**
 * Runs `ingest/main.ts` as a real separate process (so SIGKILL is a real crash), with the given
 * environment, and waits until it reports that it is ready.
 */
export async function spawnIngest(env: Record<string, string>, nodeArgs: string[] = []): Promise<IngestProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'ingest/main.ts'], {
    cwd: ROOT,
    // At info level: readiness is read from the log line that says so.
    env: { ...process.env, INGEST_METRICS_PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"metricsPort":(\d+).*"msg":"ingest ready"/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code} before it was ready:\n${out}`)));
  });
  const metricsPort = await ready;
  return {
    child,
    metricsPort,
    async counter(name) {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(name) && !l.startsWith('#'))
        .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    output: () => out,
  };
}
