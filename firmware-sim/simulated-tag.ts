import type { Topics } from '../infra/broker/topics.ts';
import type { LonLat } from '../infra/domain/types.ts';
import { hasGnss, sampleFix, type Environment, type SampledFix } from './accuracy-model.ts';
import { Battery, DEFAULT_BATTERY, type BatteryEvent, type BatteryModel } from './battery.ts';
import { CommandHandler, type CommandOutcome, type ReceivedMessage } from './command-handler.ts';
import { tamperEvents, type Tamper, type TimedEvent } from './device-plans.ts';
import { constantEnvironment, type EnvironmentPlan } from './environment-plan.ts';
import { hashSeed, prng } from '../infra/random/seeded-random.ts';
import { LinkSchedule, type Span } from './link-schedule.ts';
import { positionAt, type Movement } from './movement.ts';
import { ReportingInterval } from './reporting-interval.ts';
import { TagConnection } from './tag-connection.ts';
import { UplinkOutbox, type EventRecord, type FixRecord, type OutgoingMessage } from './uplink-outbox.ts';

export type { Movement } from './movement.ts';

export interface TagOptions {
  id: string;
  password: string;
  movement: Movement;
  /** 1-sigma position noise in the open, metres; the reported accuracy follows it. */
  noiseM: number;
  /** The monitoring plan's interval between fixes, seconds (default 60). */
  intervalS?: number;
  /** Where the wearer is, positioning-wise: one environment or a plan over time (default open sky). */
  environment?: Environment | EnvironmentPlan;
  /** Multiplies the environments' outlier rates (default 1; 0 for none). */
  outlierScale?: number;
  /** Share of outliers whose accuracy does not cover them (default 0.5). */
  dishonestShare?: number;
  /** Battery level at start, percent (default 100), and model overrides. */
  batteryPct?: number;
  battery?: Partial<BatteryModel>;
  /** When the tag is on its charger. */
  charging?: Span[];
  /** When the cellular link is down: fixes and events are buffered and uploaded late. */
  outages?: Span[] | LinkSchedule;
  /** Tampering to simulate. */
  tamper?: Tamper[];
  /** Time of the first fix (default: at start). A fleet spreads these so the broker sees a stream. */
  firstFixAt?: number;
  /** Firmware version in the status message. */
  fw?: string;
  /** MQTT keep-alive, seconds (60-600, default 120). */
  keepaliveS?: number;
}

export interface TagStats {
  /** Messages handed to the broker, acknowledged (PUBACK), and lost with their connection. */
  sent: number;
  acked: number;
  failed: number;
  fixesAcked: number;
  eventsAcked: number;
  commands: number;
}

type Fix = FixRecord;

/**
 * One simulated ankle tag speaking device protocol v1. The tag is a timeline driven by its clock
 * (`now`, injectable): `advanceTo(t)` plays everything that happens until t (fixes at the
 * reporting interval, GNSS loss, battery, charger, tampering, messages read) into its
 * store-and-forward outbox, without I/O; `tick()` does that for now() and then runs the radio:
 * drops the connection in an outage or when flat (no DISCONNECT, so the broker publishes the last
 * will), reconnects when the link is back, and uploads the outbox oldest first.
 *
 * Because every record keeps the time it happened, a test or a compressed-time scenario can jump
 * the clock by hours and get exactly what a real tag would have sent over those hours.
 */
export class SimulatedTag {
  readonly outbox: UplinkOutbox;
  readonly battery: Battery;
  readonly interval: ReportingInterval;
  readonly commands: CommandHandler;
  readonly stats: TagStats = { sent: 0, acked: 0, failed: 0, fixesAcked: 0, eventsAcked: 0, commands: 0 };
  readonly startedAt: number;

  private readonly rand: () => number;
  private readonly seed: number;
  private readonly environment: EnvironmentPlan;
  private readonly link: LinkSchedule;
  private readonly conn: TagConnection;
  private readonly tamper: TimedEvent[];
  private readonly charger: { t: number; on: boolean }[];
  private readonly reads: ReceivedMessage[] = [];
  private tamperIdx = 0;
  private chargerIdx = 0;

  private seq = 0;
  private eventSeq = 0;
  private simAt: number;
  private nextFixAt: number;
  private lastFixAt: number | null = null;
  private gnss: boolean | null = null;
  private on = true;

  private url: string | null = null;
  private closed = false;
  private connecting: Promise<void> | null = null;
  private flushing: Promise<void> | null = null;
  private retryAt = 0;
  private failedConnects = 0;

  constructor(
    readonly opts: TagOptions,
    private readonly topics: Topics,
    private readonly now: () => number = Date.now,
  ) {
    this.seed = hashSeed(opts.id);
    this.rand = prng(this.seed);
    this.startedAt = now();
    this.simAt = this.startedAt;
    this.nextFixAt = opts.firstFixAt ?? this.startedAt;
    const env = opts.environment ?? 'open';
    this.environment = typeof env === 'function' ? env : constantEnvironment(env);
    this.link = opts.outages instanceof LinkSchedule ? opts.outages : new LinkSchedule(opts.outages ?? []);
    this.interval = new ReportingInterval(opts.intervalS ?? 60);
    this.battery = new Battery(this.startedAt, opts.batteryPct ?? 100, { ...DEFAULT_BATTERY, ...opts.battery });
    this.commands = new CommandHandler(prng(this.seed ^ 0x5bd1e995));
    this.outbox = new UplinkOutbox(opts.id);
    this.tamper = tamperEvents(opts.tamper ?? []);
    this.charger = chargerTransitions(opts.charging ?? []);
    this.conn = new TagConnection({
      id: opts.id,
      password: opts.password,
      topics,
      keepaliveS: opts.keepaliveS ?? 120,
      onCommand: (payload) => this.onCommand(payload),
      onLost: () => (this.retryAt = Date.now() + 1000 + this.rand() * 4000),
    });
    if (this.battery.poweredOn) this.emit(this.battery.report(this.startedAt));
    else this.on = false;
  }

  get id(): string {
    return this.opts.id;
  }
  get connected(): boolean {
    return this.conn.connected;
  }
  /** False while the tag is flat (between powering_off and booting on the charger). */
  get poweredOn(): boolean {
    return this.on;
  }
  /** Fix messages acknowledged by the broker (kept for callers of the first simulator). */
  get published(): number {
    return this.stats.acked;
  }
  get messages(): readonly ReceivedMessage[] {
    return this.commands.messages;
  }
  /** Records waiting in the outbox (the buffered count a fleet reports). */
  get buffered(): number {
    return this.outbox.size;
  }

  /** Fixes and events the tag has recorded so far (sent or still in its outbox). */
  get recorded(): { fixes: number; events: number } {
    return { fixes: this.seq, events: this.eventSeq };
  }

  /** Changes the battery model from t on (scenarios: a sudden drain, a battery going flat). */
  retuneBattery(t: number, changes: Partial<BatteryModel>): void {
    this.advanceTo(t);
    this.battery.retune(t, changes, this.interval.at(t)).forEach((e) => this.onBatteryEvent(e));
  }

  /** Where the wearer truly is at time t. */
  truePosition(t: number): LonLat {
    return positionAt(this.opts.movement, t, this.startedAt, this.seed);
  }

  /** A fix as the tag's receiver would report it at t (numbered, not queued). */
  takeFix(t: number): Fix {
    return this.fixFrom(this.sample(t, this.environment(t)), t);
  }

  /** A fix with what only a simulator knows: its true error and whether it is an outlier. */
  sample(t: number, env: Environment): SampledFix {
    return sampleFix(this.truePosition(t), env, this.rand, { openSigmaM: this.opts.noiseM, outlierScale: this.opts.outlierScale, dishonestShare: this.opts.dishonestShare });
  }

  /** Plays the tag's life until t into the outbox. Time only moves forward. */
  advanceTo(t: number): void {
    if (t < this.simAt) return;
    for (;;) {
      const next = this.nextItemAt();
      if (next > t) break;
      this.syncBattery(next);
      this.runItemsAt(next);
    }
    this.syncBattery(t);
    this.simAt = t;
  }

  async connect(url: string): Promise<void> {
    this.url = url;
    this.closed = false;
    this.advanceTo(this.now());
    try {
      await this.openConnection();
    } catch (err) {
      // tick() retries later, with backoff.
      this.failedConnects++;
      this.retryAt = Date.now() + 2000 * (0.5 + this.rand());
      throw err;
    }
    await this.flush();
  }

  /**
   * One step of the tag's firmware at now(): play the timeline, run the radio, upload. A fleet
   * calls this about once a second per tag; it returns once the upload it started is acknowledged.
   */
  async tick(): Promise<void> {
    const t = this.now();
    this.advanceTo(t);
    const radioUp = this.on && this.link.isUp(t);
    if (this.conn.connected && !this.on) {
      // Flat: the last gasp (powering_off) goes out if it can, then the power is gone.
      await this.flush();
      this.conn.drop();
      return;
    }
    if (this.conn.connected && !radioUp) {
      this.conn.drop();
      return;
    }
    if (radioUp && !this.conn.connected && this.url && !this.closed && !this.connecting && Date.now() >= this.retryAt) {
      await this.openConnection().catch(() => {
        // Real time, not the tag's clock: the broker being unreachable is a property of this run.
        this.failedConnects++;
        this.retryAt = Date.now() + Math.min(300_000, 2000 * 2 ** Math.min(this.failedConnects, 8)) * (0.5 + this.rand());
      });
    }
    if (this.conn.connected && this.outbox.size > 0) await this.flush();
  }

  /** Takes a fix now (whatever the schedule) and uploads it; the fleet runner of old called this. */
  async report(): Promise<void> {
    if (!this.conn.connected) throw new Error(`tag ${this.opts.id} is not connected`);
    const before = this.seq;
    this.advanceTo(this.now());
    if (this.seq === before) this.locate(this.now());
    await this.flush();
  }

  /** Uploads the outbox while connected, oldest record first, one message at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Handles a downlink command as if it had just arrived (the MQTT handler calls this). */
  handleCommand(payload: Uint8Array | string): CommandOutcome {
    const t = this.now();
    this.advanceTo(t);
    const outcome = this.commands.handle(payload, t);
    if (outcome.kind !== 'execute') return outcome;
    this.stats.commands++;
    const c = outcome.command;
    if (c.cmd === 'set_interval') {
      this.interval.set(c.intervalS, c.until);
      this.reschedule(t);
    } else if (c.cmd === 'locate_now') {
      if (this.on) this.locate(t);
    } else if (outcome.message) {
      insertSorted(this.reads, outcome.message, (m) => m.readAt);
    }
    return outcome;
  }

  /** The wearer switches the tag off: it says so (powering_off: shutdown), uploads, and disconnects. */
  async shutdown(): Promise<void> {
    const t = this.now();
    this.advanceTo(t);
    if (this.on) this.emit({ t, type: 'powering_off', reason: 'shutdown' });
    this.on = false;
    await this.flush();
    await this.close();
  }

  /** Stops the radio politely: offline status, then DISCONNECT. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => {});
    await this.flushing;
    await this.conn.close();
  }

  private async openConnection(): Promise<void> {
    if (!this.url) throw new Error(`tag ${this.opts.id} has no broker url`);
    this.connecting ??= this.conn
      .open(this.url, { v: 1, online: true, fw: this.opts.fw ?? 'sim-1.0.0', interval_s: Math.max(1, Math.round(this.interval.at(this.now()))) })
      .then(() => void (this.failedConnects = 0))
      .finally(() => (this.connecting = null));
    return this.connecting;
  }

  private onCommand(payload: Buffer): void {
    const outcome = this.handleCommand(payload);
    // locate_now means "upload it now", not at the next tick.
    if (outcome.kind === 'execute' && outcome.command.cmd === 'locate_now' && this.conn.connected) void this.flush();
  }

  private async drain(): Promise<void> {
    while (this.conn.connected) {
      const msg = this.nextMessage();
      if (!msg) return;
      this.stats.sent++;
      try {
        await this.conn.publish(msg.channel === 'fixes' ? this.topics.fixes(this.opts.id) : this.topics.events(this.opts.id), msg.body);
      } catch {
        // The records stay in the outbox and go again after the reconnect.
        this.stats.failed++;
        return;
      }
      this.outbox.acknowledge(msg);
      this.stats.acked++;
      if (msg.channel === 'fixes') this.stats.fixesAcked += msg.count;
      else this.stats.eventsAcked += msg.count;
    }
  }

  /** Of the two channels, the one whose oldest record is older goes first. */
  private nextMessage(): OutgoingMessage | null {
    const f = this.outbox.peek('fixes')[0];
    const e = this.outbox.peek('events')[0];
    if (!f && !e) return null;
    return this.outbox.next(!f || (e && e.t <= f.t) ? 'events' : 'fixes');
  }

  private nextItemAt(): number {
    let next = Infinity;
    if (this.on) next = this.nextFixAt;
    next = Math.min(next, this.tamper[this.tamperIdx]?.t ?? Infinity, this.charger[this.chargerIdx]?.t ?? Infinity, this.reads[0]?.readAt ?? Infinity);
    return Math.min(next, this.interval.overrideEndsAt(this.simAt));
  }

  private runItemsAt(t: number): void {
    this.simAt = t;
    while (this.charger[this.chargerIdx] && this.charger[this.chargerIdx]!.t <= t) {
      const c = this.charger[this.chargerIdx++]!;
      this.battery.setCharger(c.t, c.on, this.interval.at(t)).forEach((e) => this.onBatteryEvent(e));
    }
    while (this.tamper[this.tamperIdx] && this.tamper[this.tamperIdx]!.t <= t) {
      const e = this.tamper[this.tamperIdx++]!;
      // An unpowered tag's sensors report nothing.
      if (this.on) this.emit({ t: e.t, type: e.type });
    }
    while (this.reads[0] && this.reads[0].readAt <= t) {
      const m = this.reads.shift()!;
      if (this.on) this.emit({ t: m.readAt, type: 'message_read', command: m.id });
    }
    if (this.interval.overrideEndsAt(t - 1) === t) this.reschedule(t);
    if (this.on && this.nextFixAt <= t) {
      const due = this.nextFixAt;
      this.fixAt(due);
      this.nextFixAt = due + this.interval.at(due) * 1000;
    }
  }

  private fixAt(t: number): void {
    const env = this.environment(t);
    const gnss = hasGnss(env);
    if (this.gnss !== null && gnss !== this.gnss) this.emit({ t, type: gnss ? 'gps_regained' : 'gps_lost' });
    this.gnss = gnss;
    this.outbox.addFix(this.fixFrom(this.sample(t, env), t));
    this.lastFixAt = t;
  }

  /** An out-of-schedule fix (locate_now, report); the regular schedule carries on. */
  private locate(t: number): void {
    this.fixAt(t);
  }

  /** After an interval change: the next fix is one new interval after the last one, or now. */
  private reschedule(t: number): void {
    if (this.lastFixAt === null) return;
    this.nextFixAt = Math.max(t, this.lastFixAt + this.interval.at(t) * 1000);
  }

  private syncBattery(t: number): void {
    this.battery.advance(t, this.interval.at(this.simAt)).forEach((e) => this.onBatteryEvent(e));
  }

  private onBatteryEvent(e: BatteryEvent): void {
    if (e.type === 'powering_off') {
      this.emit(e);
      this.on = false;
      return;
    }
    if (!this.on && this.battery.poweredOn) {
      // Booted on the charger: a fresh start of the receiver and the schedule.
      this.on = true;
      this.gnss = null;
      this.nextFixAt = e.t;
    }
    this.emit(e);
  }

  private fixFrom(s: SampledFix, t: number): Fix {
    return { seq: this.seq++, t: Math.round(t), lon: s.position[0], lat: s.position[1], acc: s.acc, src: s.src };
  }

  private emit(e: Omit<EventRecord, 'seq'>): void {
    this.outbox.addEvent({ seq: this.eventSeq++, ...e, t: Math.round(e.t) });
  }
}

/** Charger plug and unplug times from charging spans, in order. */
function chargerTransitions(spans: readonly Span[]): { t: number; on: boolean }[] {
  return [...spans]
    .sort((a, b) => a.from - b.from)
    .flatMap((s) => [
      { t: s.from, on: true },
      { t: s.to, on: false },
    ]);
}

function insertSorted<T>(list: T[], item: T, key: (x: T) => number): void {
  let i = list.length;
  while (i > 0 && key(list[i - 1]!) > key(item)) i--;
  list.splice(i, 0, item);
}
