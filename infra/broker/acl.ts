import type { Topics } from './topics.ts';

/**
 * The broker ACL. A device (its username is its id) may publish only its own uplink and status
 * and read only its own downlink; %u is substituted by Mosquitto with the connecting username.
 * Services get exactly the topics their job needs.
 */
export function renderAcl(t: Topics, services: { ingest: string; commander: string; simulator?: string | undefined }): string {
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
  return lines.join('\n') + '\n';
}
