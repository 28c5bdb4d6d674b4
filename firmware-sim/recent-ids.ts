/**
 * The ids of the last `capacity` commands executed. The protocol asks a tag to run each command
 * once even when QoS 1 delivers it twice, and a tag has the memory for about 100 ids: the oldest
 * id is forgotten when a new one arrives.
 */
export class RecentIds {
  private readonly order: string[] = [];
  private readonly known = new Set<string>();

  constructor(private readonly capacity = 100) {}

  has(id: string): boolean {
    return this.known.has(id);
  }

  /** Remembers id; returns false when it was already known (a redelivery). */
  add(id: string): boolean {
    if (this.known.has(id)) return false;
    this.order.push(id);
    this.known.add(id);
    if (this.order.length > this.capacity) this.known.delete(this.order.shift()!);
    return true;
  }

  get size(): number {
    return this.order.length;
  }
}
