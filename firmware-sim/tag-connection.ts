import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Topics } from '../infra/broker/topics.ts';

export interface ConnectionOptions {
  id: string;
  password: string;
  topics: Topics;
  /** MQTT keep-alive, seconds (protocol: 60-600). The broker publishes the will 1.5x after silence. */
  keepaliveS: number;
  /** Called with every downlink command payload. */
  onCommand: (payload: Buffer) => void;
  /** Called when the connection is lost (not when closed on purpose). */
  onLost?: () => void;
  /** Connect timeout, ms. */
  connectTimeoutMs?: number;
}

/**
 * One tag's MQTT session, as the protocol prescribes: client id `tag-{id}`, persistent session
 * (clean start off, 24 h expiry) so commands sent while the tag is away are delivered when it
 * returns, last will `{online:false}` retained, QoS 1 everywhere.
 *
 * The connection never reconnects by itself: the tag decides when its radio is up (a scheduled
 * outage, a flat battery), so reconnection belongs to the tag. Each (re)connect is a new client.
 */
export class TagConnection {
  private client: MqttClient | null = null;
  private closing = false;

  constructor(private readonly opts: ConnectionOptions) {}

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Connects, subscribes to the tag's downlink and announces the tag online (retained). */
  async open(url: string, status: Record<string, unknown>): Promise<void> {
    if (this.client) this.client.end(true);
    this.closing = false;
    const { id, topics } = this.opts;
    const options: IClientOptions = {
      protocolVersion: 5,
      clientId: `tag-${id}`,
      username: id,
      password: this.opts.password,
      clean: false,
      properties: { sessionExpiryInterval: 24 * 3600 },
      keepalive: this.opts.keepaliveS,
      reconnectPeriod: 0,
      connectTimeout: this.opts.connectTimeoutMs ?? 30_000,
      will: { topic: topics.status(id), payload: Buffer.from(JSON.stringify({ v: 1, online: false })), qos: 1, retain: true },
    };
    const client = mqtt.connect(url, options);
    this.client = client;
    client.on('message', (topic, payload) => {
      if (topic === topics.command(id)) this.opts.onCommand(payload);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
        client.once('close', () => reject(new Error(`tag ${id}: connection closed before CONNACK`)));
      });
    } catch (err) {
      client.removeAllListeners();
      client.on('error', () => {});
      client.end(true);
      if (this.client === client) this.client = null;
      throw err;
    }
    // Errors after the handshake surface as 'close'; an unhandled 'error' would crash the fleet.
    client.removeAllListeners('error');
    client.on('error', () => {});
    client.removeAllListeners('close');
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      if (!this.closing) this.opts.onLost?.();
    });
    await client.subscribeAsync(topics.command(id), { qos: 1 });
    await this.publish(topics.status(id), JSON.stringify(status), true);
  }

  /**
   * Publishes at QoS 1 and resolves on PUBACK. Rejects when the connection goes before the PUBACK
   * comes: the caller keeps the records and sends them again on the next connection.
   */
  publish(topic: string, body: string, retain = false): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error(`tag ${this.opts.id} is not connected`));
    return new Promise<void>((resolve, reject) => {
      const lost = () => reject(new Error(`tag ${this.opts.id}: connection lost before PUBACK`));
      client.once('close', lost);
      client.publish(topic, body, { qos: 1, retain }, (err) => {
        client.removeListener('close', lost);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  /**
   * Drops the connection without a DISCONNECT packet, as power loss or a lost signal would, so the
   * broker publishes the last will. mqtt.js `end(true)` destroys the socket without sending one.
   */
  drop(): void {
    const client = this.client;
    if (!client) return;
    this.closing = true;
    this.client = null;
    client.end(true);
  }

  /** Says goodbye properly: offline status (retained), then DISCONNECT, so no will is needed. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.closing = true;
    if (client.connected) {
      await this.publish(this.opts.topics.status(this.opts.id), JSON.stringify({ v: 1, online: false }), true).catch(() => {});
    }
    this.client = null;
    await client.endAsync().catch(() => client.end(true));
  }
}
