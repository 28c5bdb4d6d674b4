import type { FixSource } from '../infra/domain/types.ts';
import type { DeviceEventType } from '../ingest/protocol.ts';

/** One fix exactly as it goes on the wire (no other fields: ingest rejects unknown ones). */
export interface FixRecord {
  seq: number;
  t: number;
  lon: number;
  lat: number;
  acc: number;
  src: FixSource;
}

/** One device event exactly as it goes on the wire. */
export interface EventRecord {
  seq: number;
  t: number;
  type: DeviceEventType;
  level?: number;
  charging?: boolean;
  reason?: 'battery_flat' | 'shutdown';
  command?: string;
}

export type Channel = 'fixes' | 'events';

/** The protocol's limits: at most 500 items per message, and 64 KiB per payload (kept under). */
export const MAX_ITEMS_PER_MESSAGE = 500;
export const MAX_MESSAGE_BYTES = 60 * 1024;

export interface OutgoingMessage {
  channel: Channel;
  /** How many records, from the front of the queue, the message carries. */
  count: number;
  body: string;
}

/**
 * Builds the message for the first records of a queue: as many as fit in 500 items and the byte
 * limit, oldest first. Pure. A record is never split or reordered, so the platform sees every
 * fix with its original time and sequence number however late it arrives.
 */
export function messageFor<T>(channel: Channel, device: string, queue: readonly T[], maxItems = MAX_ITEMS_PER_MESSAGE, maxBytes = MAX_MESSAGE_BYTES): OutgoingMessage | null {
  let count = Math.min(queue.length, maxItems);
  while (count > 0) {
    const body = JSON.stringify({ v: 1, device, [channel]: queue.slice(0, count) });
    if (Buffer.byteLength(body) <= maxBytes) return { channel, count, body };
    // Shrink in proportion to the overshoot (and by at least one record).
    count = Math.min(count - 1, Math.floor((count * maxBytes) / Buffer.byteLength(body)));
  }
  return null;
}

/**
 * The tag's store-and-forward queue (its flash). Every fix and event goes in; a message takes the
 * oldest records and they leave the queue only when the broker has acknowledged it, so a link
 * that drops mid-upload loses nothing: the same records go again after the reconnect, which the
 * platform recognises by (device, t, seq). A full flash drops the oldest records first, counted,
 * as real tags do: recent positions matter more than old ones.
 */
export class UplinkOutbox {
  private readonly queues: { fixes: FixRecord[]; events: EventRecord[] } = { fixes: [], events: [] };
  /** Records lost to a full flash. */
  dropped = 0;

  constructor(
    private readonly device: string,
    private readonly capacity = 200_000,
  ) {}

  addFix(fix: FixRecord): void {
    this.push(this.queues.fixes, fix);
  }
  addEvent(event: EventRecord): void {
    this.push(this.queues.events, event);
  }

  pending(channel: Channel): number {
    return this.queues[channel].length;
  }
  get size(): number {
    return this.queues.fixes.length + this.queues.events.length;
  }

  /** What is waiting on a channel, oldest first (a read-only view, for tests and status). */
  peek(channel: 'fixes'): readonly FixRecord[];
  peek(channel: 'events'): readonly EventRecord[];
  peek(channel: Channel): readonly (FixRecord | EventRecord)[] {
    return this.queues[channel];
  }

  /** The next message to send on a channel, or null when nothing is waiting. */
  next(channel: Channel): OutgoingMessage | null {
    const queue: readonly (FixRecord | EventRecord)[] = this.queues[channel];
    return messageFor(channel, this.device, queue);
  }

  /** The broker acknowledged `message`: its records leave the queue. */
  acknowledge(message: OutgoingMessage): void {
    this.queues[message.channel].splice(0, message.count);
  }

  private push<T>(queue: T[], item: T): void {
    queue.push(item);
    if (queue.length > this.capacity) {
      queue.shift();
      this.dropped++;
    }
  }
}
