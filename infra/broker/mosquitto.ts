import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAcl } from './acl.ts';
import { mosquittoHashLine, mosquittoPasswordLine, type ServiceAccount } from './credentials.ts';
import type { Topics } from './topics.ts';

const TEMPLATE = fileURLToPath(new URL('../mosquitto/mosquitto.conf.template', import.meta.url));

export interface BrokerLayout {
  runDir: string;
  port: number;
  bind: string;
  topics: Topics;
  ingest: ServiceAccount;
  commander: ServiceAccount;
  /** Each device with its password (development) or the stored hash of its provisioned secret. */
  devices: ({ id: string; password: string } | { id: string; passwordHash: string })[];
  /** Benchmarks only: an account allowed to publish any tag's uplink. */
  bench?: ServiceAccount | undefined;
  /** Optional TLS listener settings: certificate, key and CA file paths. */
  tls?: { certfile: string; keyfile: string; cafile?: string } | undefined;
}

/** Writes mosquitto.conf, passwd and acl into the run directory (atomically, file by file). */
export async function renderBrokerFiles(layout: BrokerLayout): Promise<string> {
  await mkdir(path.join(layout.runDir, 'data'), { recursive: true });
  const owner = brokerUser();
  // The broker reads its certificate and key after dropping privileges: it gets copies in its own
  // run directory (the key 0600), so the originals can stay readable by their owner only.
  const copy = async (file: string, name: string, mode: number) => {
    if (owner.uid === null) return file;
    const target = path.join(layout.runDir, name);
    await copyFile(file, target);
    await chmod(target, mode);
    return target;
  };
  const tls = layout.tls
    ? [
        `certfile ${await copy(layout.tls.certfile, 'tls-cert.pem', 0o644)}`,
        `keyfile ${await copy(layout.tls.keyfile, 'tls-key.pem', 0o600)}`,
        layout.tls.cafile ? `cafile ${await copy(layout.tls.cafile, 'tls-ca.pem', 0o644)}` : '',
      ].join('\n')
    : '';
  const conf = (await readFile(TEMPLATE, 'utf8'))
    .replaceAll('{{RUN_DIR}}', layout.runDir)
    .replaceAll('{{PORT}}', String(layout.port))
    .replaceAll('{{BIND}}', layout.bind)
    .replaceAll('{{USER}}', owner.name)
    .replaceAll('{{TLS}}', tls);
  const passwd = [
    ...[layout.ingest, layout.commander, ...(layout.bench ? [layout.bench] : [])].map((a) => mosquittoPasswordLine(a.username, a.password)),
    ...layout.devices.map((d) => ('passwordHash' in d ? mosquittoHashLine(d.id, d.passwordHash) : mosquittoPasswordLine(d.id, d.password))),
  ].join('\n');
  const acl = renderAcl(layout.topics, { ingest: layout.ingest.username, commander: layout.commander.username, bench: layout.bench?.username });
  const confPath = path.join(layout.runDir, 'mosquitto.conf');
  await atomicWrite(confPath, conf);
  await atomicWrite(path.join(layout.runDir, 'passwd'), passwd + '\n', 0o600);
  await atomicWrite(path.join(layout.runDir, 'acl'), acl);
  // Mosquitto reads the password and ACL files and writes its data after dropping to `user`.
  if (owner.uid !== null) await chownTree(layout.runDir, owner.uid, owner.gid!);
  return confPath;
}

/**
 * Who the broker runs as. Started by root (CI, `npm start` under sudo), it drops to the
 * unprivileged `mosquitto` account Debian's package creates, and the run directory is handed to
 * it; started by anyone else, it stays that user (it cannot switch).
 */
export function brokerUser(): { name: string; uid: number | null; gid: number | null } {
  if (process.getuid?.() !== 0) return { name: os.userInfo().username, uid: null, gid: null };
  try {
    const uid = Number(execFileSync('id', ['-u', 'mosquitto'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'mosquitto'], { encoding: 'utf8' }).trim());
    return { name: 'mosquitto', uid, gid };
  } catch {
    // No such account: root it stays, and the log says so at start-up.
    return { name: 'root', uid: null, gid: null };
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, uid, gid);
    else await chown(p, uid, gid);
  }
}

async function atomicWrite(file: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, file);
}

export async function readPid(runDir: string): Promise<number | null> {
  const file = path.join(runDir, 'mosquitto.pid');
  if (!existsSync(file)) return null;
  const pid = Number((await readFile(file, 'utf8')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Waits until something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing is listening on ${host}:${port}`);
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

/**
 * Starts Mosquitto in the foreground as a child (tests, throwaway brokers). The platform's own
 * broker is started daemonised by the set-up script instead.
 */
export async function spawnMosquitto(confPath: string, port: number): Promise<ChildProcess> {
  const child = spawn('mosquitto', ['-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${stderr}`))),
  );
  await Promise.race([waitForPort(port), exited]);
  return child;
}
