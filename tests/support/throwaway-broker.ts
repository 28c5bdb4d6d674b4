import { startLocalBroker, type LocalBroker } from '../../infra/broker/local-broker.ts';

export const TEST_SEED = 'integration-test-seed';
export const INGEST = { username: 'svc-ingest', password: 'it-ingest-pw' };
export const COMMANDER = { username: 'svc-commander', password: 'it-commander-pw' };

export type ThrowawayBroker = LocalBroker;

/**
 * A Mosquitto of the test's own, on a free port, with the project's config (auth, ACL, queue
 * limits, persistence) in a temporary folder, and fixed test credentials. Never the system broker.
 */
export function startThrowawayBroker(deviceIds: string[], tls?: { certfile: string; keyfile: string }): Promise<ThrowawayBroker> {
  return startLocalBroker({ deviceIds, ingest: INGEST, commander: COMMANDER, seed: TEST_SEED, tls });
}
