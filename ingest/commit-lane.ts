/**
 * A queue of accepted messages that are committed in batches, one batch at a time, in arrival
 * order. Ingest runs a few lanes side by side and sends each device to one lane (by a hash of its
 * id), so a device's messages stay in order while one lane's transaction runs in PostgreSQL and
 * another lane prepares its batch. Lanes never share a device, so their row locks never meet.
 */
export class CommitLane<T extends { size: number }> {
  private queue: T[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly batchMax: number,
    private readonly batchMs: number,
    /** Commits one batch; must retry until it succeeds (it is never given the batch twice). */
    private readonly commit: (batch: T[]) => Promise<void>,
    /** Told how the number of queued items changes (for the pending-items gauge). */
    private readonly onQueued: (delta: number) => void,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    this.queued += item.size;
    this.onQueued(item.size);
    if (this.queued >= this.batchMax) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.batchMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.queue.length && !this.stopped) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length && !this.stopped) {
      // One splice per batch: shift() per message is O(queue length) and, with tens of thousands
      // of messages waiting, made this loop the hottest code in ingest.
      let k = 0;
      let n = 0;
      while (k < this.queue.length && n < this.batchMax) n += this.queue[k++]!.size;
      const batch = this.queue.splice(0, k);
      await this.commit(batch);
      this.queued -= n;
      this.onQueued(-n);
    }
  }

  /** Commits what is queued, then takes no more batches. */
  async drain(): Promise<void> {
    this.kick();
    await this.flushing;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** FNV-1a: a cheap, stable hash to spread devices over lanes. */
export function laneOf(deviceId: string, lanes: number): number {
  let h = 2166136261;
  for (let i = 0; i < deviceId.length; i++) h = Math.imul(h ^ deviceId.charCodeAt(i), 16777619);
  return (h >>> 0) % lanes;
}
