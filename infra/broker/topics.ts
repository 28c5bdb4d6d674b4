/**
 * MQTT topic layout of device protocol v1 (docs/device-protocol.md). One place builds and parses
 * topics so the broker ACL, ingest and the simulator cannot drift apart.
 */
export interface Topics {
  root: string;
  fixes(deviceId: string): string;
  events(deviceId: string): string;
  status(deviceId: string): string;
  command(deviceId: string): string;
  /** Subscription filters for ingest: all devices' fixes, events and status. */
  fixesFilter: string;
  uplinkFilter: string;
  statusFilter: string;
  /** Splits an uplink topic into device id and channel, or null for a topic not of this layout. */
  parse(topic: string): { deviceId: string; channel: 'fixes' | 'events' | 'status' } | null;
}

export function topics(root = 'em/v1'): Topics {
  const base = `${root}/devices`;
  const prefix = `${base}/`;
  return {
    root,
    fixes: (id) => `${base}/${id}/up/fixes`,
    events: (id) => `${base}/${id}/up/events`,
    status: (id) => `${base}/${id}/status`,
    command: (id) => `${base}/${id}/down/cmd`,
    fixesFilter: `${base}/+/up/fixes`,
    uplinkFilter: `${base}/+/up/+`,
    statusFilter: `${base}/+/status`,
    parse(topic) {
      if (!topic.startsWith(prefix)) return null;
      const parts = topic.slice(prefix.length).split('/');
      const deviceId = parts[0];
      if (!deviceId) return null;
      if (parts.length === 3 && parts[1] === 'up' && (parts[2] === 'fixes' || parts[2] === 'events')) {
        return { deviceId, channel: parts[2] };
      }
      if (parts.length === 2 && parts[1] === 'status') return { deviceId, channel: 'status' };
      return null;
    },
  };
}
