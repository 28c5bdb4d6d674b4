import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Topics } from '../infra/broker/topics.ts';
import type { Logger } from '../infra/logging/logger.ts';

/** Downlink commands of device protocol v1 (docs/device-protocol.md). */
export type DeviceCommand =
  | { cmd: 'set_interval'; interval_s: number; until?: number }
  | { cmd: 'message'; text: string; priority: 'normal' | 'urgent' }
  | { cmd: 'locate_now' };

/**
 * Publishes commands to tags with the commander service account (the only account the broker lets
 * write to downlink topics). QoS 1 to the tag's persistent session: a tag that is offline gets the
 * command when it reconnects.
 */
export class CommandPublisher {
  private client: MqttClient | null = null;

  constructor(
    private readonly url: string,
    private readonly username: string,
    private readonly password: string,
    private readonly topics: Topics,
    private readonly log: Logger,
    /** CA of an mqtts:// broker (MQTT_TLS_CA_FILE). */
    private readonly tls: { ca?: Buffer } = {},
  ) {}

  private async connection(): Promise<MqttClient> {
    this.client ??= await mqtt.connectAsync(this.url, {
      protocolVersion: 5,
      username: this.username,
      password: this.password,
      clientId: `svc-commander-${process.pid}-${randomUUID().slice(0, 8)}`,
      ...this.tls,
      reconnectPeriod: 1000,
    });
    return this.client;
  }

  async send(deviceId: string, command: DeviceCommand): Promise<string> {
    const id = randomUUID();
    const c = await this.connection();
    await c.publishAsync(this.topics.command(deviceId), JSON.stringify({ v: 1, id, ...command }), { qos: 1 });
    this.log.debug({ deviceId, command: command.cmd, id }, 'command sent');
    return id;
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }
}
