import type { FleetSnapshot } from './fleet-progress.ts';
import type { SimulatedTag } from './simulated-tag.ts';

export interface FleetRunnerOptions {
  url: string;
  /** Connections being opened at once during the ramp-up (the broker's accept and auth rate). */
  connectConcurrency: number;
  /** How often each tag's firmware runs, ms (fixes keep their exact times whatever this is). */
  tagTickMs: number;
  /** The runner's timer step, ms: each step runs the slice of tags due in it. */
  stepMs: number;
}

export const DEFAULT_FLEET: Omit<FleetRunnerOptions, 'url'> = { connectConcurrency: 200, tagTickMs: 1000, stepMs: 50 };

/**
 * Runs many tags in one process, each with its own MQTT connection: ramps connections up with
 * bounded concurrency (10,000 tags at once would be a SYN flood against the broker), then runs
 * every tag's firmware once per `tagTickMs`, spread evenly over steps so the broker sees a steady
 * stream rather than a burst per second. A tag whose previous tick is still uploading is skipped.
 */
export class FleetRunner {
  private timer: NodeJS.Timeout | null = null;
  private readonly busy: Uint8Array;
  private next = 0;
  private rampedUp = 0;
  /** Tags below this index have had their connect started (the ramp-up goes in index order). */
  private connectCursor = 0;
  private stopping = false;
  readonly startedAt = Date.now();

  constructor(
    readonly tags: SimulatedTag[],
    private readonly opts: FleetRunnerOptions,
  ) {
    this.busy = new Uint8Array(tags.length);
  }

  /** Starts ticking and ramps up the connections; resolves when every tag has tried once. */
  async start(): Promise<void> {
    this.timer = setInterval(() => this.step(), this.opts.stepMs);
    const worker = async () => {
      while (!this.stopping && this.connectCursor < this.tags.length) {
        const i = this.connectCursor++;
        this.busy[i] = 1;
        // A failed first connect is retried by the tag's own tick, with backoff.
        await this.tags[i]!.connect(this.opts.url).catch(() => {});
        this.busy[i] = 0;
        this.rampedUp++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.connectConcurrency, this.tags.length) }, worker));
  }

  private step(): void {
    const n = this.tags.length;
    const perStep = Math.max(1, Math.round((n * this.opts.stepMs) / this.opts.tagTickMs));
    for (let k = 0; k < perStep && k < n; k++) {
      const i = this.next;
      this.next = (this.next + 1) % n;
      // Not before its first connect attempt has finished: the ramp-up owns the tag until then.
      if (this.busy[i] || i >= this.connectCursor) continue;
      this.busy[i] = 1;
      this.tags[i]!.tick()
        .catch(() => {})
        .finally(() => (this.busy[i] = 0));
    }
  }

  snapshot(): FleetSnapshot {
    const s: FleetSnapshot = {
      atMs: Date.now() - this.startedAt,
      tags: this.tags.length,
      connected: 0,
      rampedUp: this.rampedUp,
      sent: 0,
      acked: 0,
      failed: 0,
      fixesAcked: 0,
      eventsAcked: 0,
      buffered: 0,
      flat: 0,
      rssBytes: 0,
      heapBytes: 0,
    };
    for (const t of this.tags) {
      if (t.connected) s.connected++;
      if (!t.poweredOn) s.flat++;
      s.sent += t.stats.sent;
      s.acked += t.stats.acked;
      s.failed += t.stats.failed;
      s.fixesAcked += t.stats.fixesAcked;
      s.eventsAcked += t.stats.eventsAcked;
      s.buffered += t.buffered;
    }
    const mem = process.memoryUsage();
    s.rssBytes = mem.rss;
    s.heapBytes = mem.heapUsed;
    return s;
  }

  /** Stops ticking and closes every connection politely (offline status, DISCONNECT). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let cursor = 0;
    const worker = async () => {
      while (cursor < this.tags.length) await this.tags[cursor++]!.close().catch(() => {});
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.connectConcurrency, this.tags.length) }, worker));
  }
}
