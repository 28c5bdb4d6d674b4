/**
 * Offline replay of a recorded track through the production decision code (device-detector.ts)
 * with the production settings, in memory: the same decisions ingest takes, fix by fix, batch by
 * batch, in delivery order. The input format (docs/replay.md) is a public contract.
 */
import type { GeofenceEngine, RuleKind, SupervisionContext } from '../../geofence/index.ts';
import { DEFAULT_EPISODE_SETTINGS } from '../../geofence/index.ts';
import type { AlertIntent } from '../../alerts/alert-intent.ts';
import type { AlertType, Fix, FixSource, RegimeKind } from '../../infra/domain/types.ts';
import { DEFAULT_DETECTION, byDeviceTime, detectDevice, lateWindow, type DetectionSettings, type RuleState } from '../device-detector.ts';

export interface ReplayFixInput {
  t: string;
  deliveredAt: string;
  lon: number;
  lat: number;
  /** 68 % radius, metres; null or absent when the tag reported none. */
  acc?: number | null;
  src?: string;
}

export interface ReplayInput {
  client: { regime: RegimeKind; residenceUnit: string; home: [number, number] };
  permits: { units: string[]; from: string; to: string }[];
  device: { id: string; intervalSec: number };
  fixes: ReplayFixInput[];
}

export interface ReplayEpisode {
  rule: RuleKind;
  ruleId: string;
  type: AlertType;
  /** Device time the breach began. */
  start: string;
  /** Device time of the fix that confirmed it. */
  confirmedAt: string;
  /** When the platform would have raised it: the delivery time of the confirming fix's batch. */
  alertAt: string;
  end: string | null;
  late: boolean;
}

/** A fix to deliver: device time in epoch ms. */
export interface ReplayFix {
  t: number;
  lon: number;
  lat: number;
  acc?: number | null;
  src?: string;
}

export const PLACE_ALERTS: ReadonlySet<AlertType> = new Set(['residence_exit', 'country_exit', 'exclusion_entry', 'curfew_breach', 'permit_overstay']);

export const DEFAULT_REPLAY_SETTINGS: DetectionSettings = { ...DEFAULT_DETECTION, episodes: DEFAULT_EPISODE_SETTINGS };

const SOURCES: ReadonlySet<string> = new Set(['gps', 'wifi', 'cell']);

interface Held {
  key: string;
  episode: ReplayEpisode;
  startMs: number;
}

/**
 * One device's replay. Deliveries are ingest batches: duplicates (same device time) are dropped
 * as the database's key drops them, and only new fixes are evaluated.
 */
export class ReplaySession {
  readonly ctx: SupervisionContext;
  private readonly track: Fix[] = [];
  private readonly seen = new Set<number>();
  private readonly states = new Map<string, RuleState>();
  private readonly open = new Map<string, Held>();
  private readonly all: Held[] = [];
  private horizon: number | null = null;
  private commandSeq = 0;
  private lastInterval: number | null = null;

  constructor(
    private readonly engine: GeofenceEngine,
    private readonly input: Omit<ReplayInput, 'fixes'>,
    private readonly settings: DetectionSettings = DEFAULT_REPLAY_SETTINGS,
  ) {
    this.ctx = {
      clientId: 'replay',
      regime: input.client.regime,
      residenceUnitId: input.client.residenceUnit,
      zones: [],
      permits: input.permits.map((p, i) => ({
        id: `permit-${i + 1}`,
        clientId: 'replay',
        category: 'exceptional_circumstances',
        destinationUnitIds: p.units,
        corridor: null,
        validFrom: Date.parse(p.from),
        validUntil: Date.parse(p.to),
      })),
    };
  }

  deliver(fixes: ReplayFix[], deliveredAt: number): { commands: Record<string, unknown>[] } {
    const fresh: Fix[] = [];
    for (const f of fixes) {
      if (this.seen.has(f.t)) continue;
      this.seen.add(f.t);
      const src = (f.src && SOURCES.has(f.src) ? f.src : 'gps') as FixSource;
      fresh.push({ deviceId: this.input.device.id, seq: 0, deviceTime: f.t, lon: f.lon, lat: f.lat, accuracyM: f.acc ?? Number.NaN, source: src });
    }
    if (fresh.length === 0) return { commands: [] };
    this.insert(fresh);
    const w = lateWindow(fresh, this.horizon, this.settings);
    const track = w ? this.track.filter((f) => f.deviceTime >= w.from && f.deviceTime <= w.to) : [];
    const r = detectDevice({ engine: this.engine, ctx: this.ctx, deviceId: this.input.device.id, states: this.states, fresh, horizon: this.horizon, track }, this.settings);
    for (const f of fresh) if (this.horizon === null || f.deviceTime > this.horizon) this.horizon = f.deviceTime;
    return { commands: this.apply(r.intents, deliveredAt) };
  }

  episodes(): ReplayEpisode[] {
    return [...this.all].sort((a, b) => a.startMs - b.startMs).map((h) => h.episode);
  }

  private insert(fresh: Fix[]): void {
    const last = this.track[this.track.length - 1]?.deviceTime ?? -Infinity;
    const inOrder = fresh.every((f) => f.deviceTime > last);
    this.track.push(...byDeviceTime(fresh));
    // Live fixes come in order; only a late batch needs the merge.
    if (!inOrder) byDeviceTime(this.track);
  }

  /** What the alerts service does with the intents, as far as episodes and commands go. */
  private apply(intents: AlertIntent[], deliveredAt: number): Record<string, unknown>[] {
    const commands: Record<string, unknown>[] = [];
    const send = (c: { cmd: 'set_interval'; interval_s: number; until?: number }) => {
      this.lastInterval = c.interval_s;
      commands.push({ v: 1, id: `replay-${++this.commandSeq}`, ...c });
    };
    // As the alerts worker: back to the plan when no place alert is open, unless the last
    // command already was the plan (or there was none).
    const restore = () => {
      const plan = this.input.device.intervalSec;
      if (this.lastInterval !== null && this.lastInterval !== plan && ![...this.open.values()].some((h) => PLACE_ALERTS.has(h.episode.type))) send({ cmd: 'set_interval', interval_s: plan });
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const i of intents) {
      switch (i.kind) {
        case 'open': {
          if (this.all.some((h) => h.key === i.episodeKey)) break;
          const d = i.details as { rule: RuleKind; ruleId: string; confirmedAt: number; late?: boolean };
          const held: Held = {
            key: i.episodeKey,
            startMs: i.at,
            episode: { rule: d.rule, ruleId: d.ruleId, type: i.type, start: iso(i.at), confirmedAt: iso(d.confirmedAt), alertAt: iso(deliveredAt), end: null, late: d.late === true },
          };
          this.open.set(i.episodeKey, held);
          this.all.push(held);
          if (PLACE_ALERTS.has(i.type)) send({ cmd: 'set_interval', interval_s: this.settings.fastIntervalS });
          break;
        }
        case 'close': {
          const held = this.open.get(i.episodeKey);
          if (!held) break;
          held.episode.end = iso(i.at);
          this.open.delete(i.episodeKey);
          if (PLACE_ALERTS.has(held.episode.type)) restore();
          break;
        }
        case 'amend': {
          const held = this.all.find((h) => h.key === i.episodeKey);
          if (!held) break;
          if (i.at !== undefined && i.at < held.startMs) {
            held.startMs = i.at;
            held.episode.start = iso(i.at);
          }
          if (i.end !== undefined && held.episode.end !== null) held.episode.end = iso(i.end);
          break;
        }
        case 'report_fast':
          // The alerts service drops a command whose window has already passed (a late upload),
          // and one that would slow a tag down.
          if (i.until > deliveredAt && i.intervalS < this.input.device.intervalSec) send({ cmd: 'set_interval', interval_s: i.intervalS, until: i.until });
          break;
        case 'report_plan':
          restore();
          break;
      }
    }
    return commands;
  }
}

export interface ReplayTotals {
  totals: true;
  fixes: number;
  deliveries: number;
  duplicates: number;
  episodes: number;
  late: number;
  open: number;
  byRule: Record<string, number>;
}

/**
 * Replays a whole input: fixes grouped into deliveries by deliveredAt (one batch per distinct
 * delivery time, in that order; within a batch, order does not matter).
 */
export function replay(engine: GeofenceEngine, input: ReplayInput, settings?: DetectionSettings): { episodes: ReplayEpisode[]; totals: ReplayTotals } {
  const session = new ReplaySession(engine, input, settings);
  const groups = new Map<number, ReplayFix[]>();
  for (const f of input.fixes) {
    const at = Date.parse(f.deliveredAt);
    const list = groups.get(at) ?? [];
    list.push({ t: Date.parse(f.t), lon: f.lon, lat: f.lat, acc: f.acc ?? null, ...(f.src ? { src: f.src } : {}) });
    groups.set(at, list);
  }
  const unique = new Set(input.fixes.map((f) => Date.parse(f.t))).size;
  for (const at of [...groups.keys()].sort((a, b) => a - b)) session.deliver(groups.get(at)!, at);
  const episodes = session.episodes();
  const byRule: Record<string, number> = {};
  for (const e of episodes) byRule[e.rule] = (byRule[e.rule] ?? 0) + 1;
  return {
    episodes,
    totals: {
      totals: true,
      fixes: input.fixes.length,
      deliveries: groups.size,
      duplicates: input.fixes.length - unique,
      episodes: episodes.length,
      late: episodes.filter((e) => e.late).length,
      open: episodes.filter((e) => e.end === null).length,
      byRule,
    },
  };
}
