import { prng } from '../infra/random/seeded-random.ts';

/** A span of time [from, to) in epoch ms. */
export interface Span {
  from: number;
  to: number;
}

/**
 * When the tag's cellular link is down: a mountain valley without coverage, a dead zone in a
 * basement, an operator outage. Pure and sorted, so a tag can ask "is it up at t" and "when does
 * that change next" without a timer.
 */
export class LinkSchedule {
  private readonly outages: Span[];

  constructor(outages: Span[] = []) {
    for (const o of outages) if (!(o.to > o.from)) throw new Error(`an outage must end after it starts: ${o.from}..${o.to}`);
    this.outages = [...outages].sort((a, b) => a.from - b.from);
  }

  isUp(t: number): boolean {
    return !this.outages.some((o) => t >= o.from && t < o.to);
  }

  /** The first time after t at which the link changes state, or Infinity. */
  nextChange(t: number): number {
    let best = Infinity;
    for (const o of this.outages) {
      if (o.from > t) best = Math.min(best, o.from);
      if (o.to > t) best = Math.min(best, o.to);
    }
    return best;
  }

  get spans(): readonly Span[] {
    return this.outages;
  }

  /**
   * Random outages for a fleet: on average `perDay` outages a day from `from` for `days`, each
   * lasting between `minMs` and `maxMs`, from a seed so that a run replays.
   */
  static random(seed: number, from: number, days: number, perDay = 0.5, minMs = 5 * 60_000, maxMs = 3 * 3_600_000): LinkSchedule {
    const rand = prng(seed);
    const spans: Span[] = [];
    const end = from + days * 86_400_000;
    let t = from;
    for (;;) {
      // Exponential gaps: outages are independent events at a constant average rate.
      t += (-Math.log(Math.max(rand(), 1e-12)) / perDay) * 86_400_000;
      if (t >= end) break;
      const to = t + minMs + rand() * (maxMs - minMs);
      spans.push({ from: Math.round(t), to: Math.round(to) });
      t = to;
    }
    return new LinkSchedule(spans);
  }
}
