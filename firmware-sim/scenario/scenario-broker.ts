import { randomBytes } from 'node:crypto';
import type { ServiceAccount } from '../../infra/broker/credentials.ts';
import { startLocalBroker, type LocalBroker } from '../../infra/broker/local-broker.ts';

export interface ScenarioBroker extends LocalBroker {
  ingest: ServiceAccount;
  commander: ServiceAccount;
  seed: string;
}

/**
 * A Mosquitto of the runner's own on a free port, with the project's configuration (auth, ACL,
 * persistence) in a temporary folder and random service passwords, so a scenario never talks to
 * the demo's broker or sees its tags.
 */
export async function startScenarioBroker(): Promise<ScenarioBroker> {
  const secret = () => randomBytes(12).toString('base64url');
  const ingest = { username: 'svc-ingest', password: secret() };
  const commander = { username: 'svc-commander', password: secret() };
  const seed = secret();
  const broker = await startLocalBroker({ ingest, commander, seed, dirPrefix: 'em-scenario-broker-' });
  return { ...broker, ingest, commander, seed };
}
