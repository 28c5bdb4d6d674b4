export interface BatteryModel {
  /** Drain with the radio idle and no fixes (sleep current, cellular paging), percent per hour. */
  idleDrainPctPerHour: number;
  /** Energy of one fix and its upload, percent of capacity. */
  perFixPct: number;
  /** Constant-current charging rate up to `taperFromPct`, percent per hour. */
  chargePctPerHour: number;
  /** Above this level the charger tapers (constant voltage), as lithium cells do. */
  taperFromPct: number;
  taperPctPerHour: number;
  /** Level a flat tag must reach on the charger before it boots again. */
  bootPct: number;
  /** A battery report is due at least this often, ms (protocol: at least hourly). */
  reportEveryMs: number;
}

// At the default 60 s interval a full tag lasts about two days (1 + 60/60 = 2 %/h); at the 15 s
// of a violation it is down to under a day (1 + 240/60 = 5 %/h), which is why the platform
// should not keep tags on short intervals longer than needed.
export const DEFAULT_BATTERY: BatteryModel = {
  idleDrainPctPerHour: 1,
  perFixPct: 1 / 60,
  chargePctPerHour: 50,
  taperFromPct: 80,
  taperPctPerHour: 20,
  bootPct: 3,
  reportEveryMs: 3_600_000,
};

export type BatteryEvent =
  | { t: number; type: 'battery'; level: number; charging: boolean }
  | { t: number; type: 'charger_connected' | 'charger_disconnected' }
  | { t: number; type: 'powering_off'; reason: 'battery_flat' };

const STEP = 5;
const EPS = 1e-9;

/**
 * The tag's battery and its reporting duty. Time only moves forward through `advance`, which
 * integrates the level piecewise linearly (the rate is constant between a change of interval,
 * charger or taper) and returns the events a tag would send, at the exact time each happened:
 * a `battery` report at every 5% step crossed and at least hourly, and `powering_off` at 0%.
 * A flat tag is off: it reports nothing until the charger brings it back to `bootPct`.
 */
export class Battery {
  private levelPct: number;
  private at: number;
  private lastReportAt: number;
  private chargerOn = false;
  private on = true;

  constructor(
    t0: number,
    initialPct = 100,
    private model: BatteryModel = DEFAULT_BATTERY,
  ) {
    this.levelPct = Math.min(100, Math.max(0, initialPct));
    this.at = t0;
    this.lastReportAt = t0;
    if (this.levelPct <= 0) this.on = false;
  }

  get level(): number {
    return this.levelPct;
  }
  get charging(): boolean {
    return this.chargerOn;
  }
  /** False from `powering_off` until the charger has brought the level back to `bootPct`. */
  get poweredOn(): boolean {
    return this.on;
  }

  /** The report a tag sends at boot and on request. */
  report(t: number): BatteryEvent {
    this.lastReportAt = t;
    return { t, type: 'battery', level: Math.round(this.levelPct), charging: this.chargerOn };
  }

  /** Drain or charge until t at the given reporting interval, returning what happened meanwhile. */
  advance(t: number, intervalS: number): BatteryEvent[] {
    const events: BatteryEvent[] = [];
    while (this.at < t) {
      const rate = this.ratePerMs(intervalS);
      if (rate === 0 && !this.on) break;
      // The next moment something happens: the end, a level mark (5% step, taper knee, boot level)
      // or the hourly report. The rate is constant until then, so the level is exact.
      let next = t;
      let kind: 'end' | 'mark' | 'hourly' = 'end';
      let mark = 0;
      if (rate !== 0) {
        mark = rate < 0 ? (Math.ceil(this.levelPct / STEP - EPS) - 1) * STEP : this.nextMarkUp();
        const at = this.at + (mark - this.levelPct) / rate;
        if (at <= next) {
          next = at;
          kind = 'mark';
        }
      }
      if (this.on && this.lastReportAt + this.model.reportEveryMs < next) {
        next = this.lastReportAt + this.model.reportEveryMs;
        kind = 'hourly';
      }
      next = Math.max(next, this.at);
      this.levelPct = kind === 'mark' ? mark : Math.min(100, Math.max(0, this.levelPct + rate * (next - this.at)));
      this.at = next;
      const when = Math.round(next);
      if (this.on && (kind === 'hourly' || (kind === 'mark' && mark % STEP === 0))) events.push(this.report(when));
      if (this.on && this.levelPct <= EPS) {
        this.levelPct = 0;
        this.on = false;
        events.push({ t: when, type: 'powering_off', reason: 'battery_flat' });
      } else if (!this.on && this.chargerOn && this.levelPct >= this.model.bootPct - EPS) {
        // Boots on the charger and announces itself with a report (the tag reconnects).
        this.on = true;
        events.push(this.report(when));
      }
    }
    this.at = Math.max(this.at, t);
    return events;
  }

  /**
   * Changes the model from t on (advancing to t first): a scenario's sudden drain, a dying cell.
   * Returns what happened until t, like `advance`.
   */
  retune(t: number, changes: Partial<BatteryModel>, intervalS: number): BatteryEvent[] {
    const events = this.advance(t, intervalS);
    this.model = { ...this.model, ...changes };
    return events;
  }

  /** While charging: the next 5% step, or the taper knee or boot level if that comes first. */
  private nextMarkUp(): number {
    let mark = Math.min(100, (Math.floor(this.levelPct / STEP + EPS) + 1) * STEP);
    if (this.levelPct < this.model.taperFromPct - EPS) mark = Math.min(mark, this.model.taperFromPct);
    if (!this.on && this.levelPct < this.model.bootPct - EPS) mark = Math.min(mark, this.model.bootPct);
    return mark;
  }

  /** Plugs or unplugs the charger at t (advancing to t first). */
  setCharger(t: number, connected: boolean, intervalS: number): BatteryEvent[] {
    const events = this.advance(t, intervalS);
    if (connected === this.chargerOn) return events;
    this.chargerOn = connected;
    if (this.on) {
      events.push({ t: Math.round(t), type: connected ? 'charger_connected' : 'charger_disconnected' });
      // The charging flag changed, so the next level report says so without waiting an hour.
      events.push(this.report(Math.round(t)));
    }
    return events;
  }

  private ratePerMs(intervalS: number): number {
    if (this.chargerOn) {
      if (this.levelPct >= 100 - EPS) return 0;
      const perHour = this.levelPct < this.model.taperFromPct - EPS ? this.model.chargePctPerHour : this.model.taperPctPerHour;
      return perHour / 3_600_000;
    }
    // An off tag takes no fixes; its self-discharge over the days it lies flat is negligible.
    if (!this.on) return 0;
    const perHour = this.model.idleDrainPctPerHour + (3600 / intervalS) * this.model.perFixPct;
    return -perHour / 3_600_000;
  }
}
