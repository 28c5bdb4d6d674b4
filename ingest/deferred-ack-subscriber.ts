import { EventEmitter } from 'node:events';
import type { IPublishPacket, MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  /** Sends the PUBACK. Call only once the message's effects are durable (committed). */
  ack(): void;
}

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/**
 * Delivers QoS 1 messages whose PUBACK waits until the caller says the data is committed, without
 * stalling the connection.
 *
 * Why not just override mqtt.js `handleMessage`: mqtt.js processes incoming packets strictly one
 * at a time and only reads the next once the previous PUBACK is written, so delaying the ack there
 * means one database commit per message. Here handleMessage returns at once, and the PUBACK that
 * mqtt.js then writes is held back (this is the one place that touches mqtt.js internals) and
 * written when `ack()` is called. Messages are emitted in arrival order, so per-connection order
 * is kept. If the connection drops before an ack, the broker redelivers from the persistent
 * session and idempotent storage absorbs the duplicate.
 */
export class DeferredAckSubscriber extends EventEmitter<{ message: [ReceivedMessage] }> {
  private readonly held = new Map<number, { cmd: string; messageId?: number }>();
  private readonly pendingIds = new Set<number>();
  /** Acked by the caller before mqtt.js got round to writing the PUBACK (synchronous rejections). */
  private readonly earlyAcks = new Set<number>();
  private readonly send: SendPacket;

  constructor(private readonly client: MqttClient) {
    super();
    const internal = client as unknown as { _sendPacket: SendPacket };
    this.send = internal._sendPacket.bind(client);
    internal._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined && this.pendingIds.has(packet.messageId)) {
        this.pendingIds.delete(packet.messageId);
        if (!this.earlyAcks.delete(packet.messageId)) {
          this.held.set(packet.messageId, packet);
          cb?.();
          return;
        }
      }
      this.send(packet, cb, ...rest);
    };
    client.handleMessage = (packet: IPublishPacket, callback) => {
      const id = packet.messageId;
      if (packet.qos === 1 && id !== undefined) this.pendingIds.add(id);
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      let acked = false;
      this.emit('message', {
        topic: packet.topic,
        payload,
        ack: () => {
          if (acked || id === undefined || packet.qos !== 1) return;
          acked = true;
          const p = this.held.get(id);
          if (p) {
            this.held.delete(id);
            this.send(p);
          } else if (this.pendingIds.has(id)) {
            this.earlyAcks.add(id);
          }
        },
      });
      callback();
    };
    // A new connection starts a new packet-id space: acks held for the old one are void, and the
    // broker will redeliver those messages.
    client.on('connect', () => {
      this.held.clear();
      this.pendingIds.clear();
      this.earlyAcks.clear();
    });
  }

  /** Messages received but not yet acknowledged (for backpressure and metrics). */
  get unacked(): number {
    return this.held.size;
  }
}
