import type { Topics } from './topics.ts';

/**
 * The broker ACL. A device (its username is its id) may publish only its own uplink and status
 * and read only its own downlink; %u is substituted by Mosquitto with the connecting username.
 * Services get exactly the topics their job needs.
 */
export function renderAcl(t: Topics, services: { ingest: string; commander: string; bench?: string | undefined }): string {
  const dev = `${t.root}/devices`;
  const lines = [
    '# Rendered by infra/cli/broker.ts. Devices: own topics only.',
    `pattern write ${dev}/%u/up/fixes`,
    `pattern write ${dev}/%u/up/events`,
    `pattern readwrite ${dev}/%u/status`,
    `pattern read ${dev}/%u/down/#`,
    '',
    `user ${services.ingest}`,
    `topic read ${dev}/+/up/+`,
    `topic read ${dev}/+/status`,
    '',
    `user ${services.commander}`,
    `topic write ${dev}/+/down/#`,
  ];
  // Benchmarks only: one account that may publish on behalf of every tag, so that a fleet of 10,000
  // device ids can be driven over a few connections. Never rendered for the platform's broker.
  if (services.bench) lines.push('', `user ${services.bench}`, `topic write ${dev}/+/up/+`);
  return lines.join('\n') + '\n';
}
