import { describe, expect, it } from 'vitest';
import { topics } from '../infra/broker/topics.ts';
import { validateEventBatch, validateFixBatch, validateStatus, type ValidationLimits } from '../ingest/validate-uplink.ts';
import type { Environment } from './accuracy-model.ts';
import { dailyCharging } from './device-plans.ts';
import { dailyRoutine } from './environment-plan.ts';
import { LinkSchedule } from './link-schedule.ts';
import { road, routeAlong } from './roads.ts';
import { SimulatedTag, type TagOptions } from './simulated-tag.ts';
import type { EventRecord, FixRecord } from './uplink-outbox.ts';

const MIN = 60_000;
const H = 3_600_000;
// Two days ago, so that everything the tags produce lies in the past as ingest requires.
const T0 = Math.floor((Date.now() - 2 * 86_400_000) / MIN) * MIN;
const HOME: [number, number] = [74.596, 42.864];
const LIMITS: ValidationLimits = { maxPayloadBytes: 64 * 1024, maxFutureMs: 300_000, maxAgeMs: 400 * 86_400_000 };

function tagAt(opts: Partial<TagOptions> = {}, id = 'SIM-TEST-1') {
  const clock = { t: T0 };
  const tag = new SimulatedTag({ id, password: 'x', movement: { kind: 'home', home: HOME, wanderM: 100 }, noiseM: 3, ...opts }, topics(), () => clock.t);
  const at = (t: number) => {
    clock.t = t;
    tag.advanceTo(t);
  };
  return { tag, clock, at };
}

/** Everything in the outbox, message by message, as a broker would receive it. */
function uploadAll(tag: SimulatedTag) {
  const fixes: FixRecord[][] = [];
  const events: EventRecord[][] = [];
  const bodies: { channel: 'fixes' | 'events'; body: string }[] = [];
  for (const channel of ['fixes', 'events'] as const) {
    for (let m = tag.outbox.next(channel); m; m = tag.outbox.next(channel)) {
      bodies.push({ channel, body: m.body });
      const parsed = JSON.parse(m.body) as { fixes?: FixRecord[]; events?: EventRecord[] };
      if (channel === 'fixes') fixes.push(parsed.fixes!);
      else events.push(parsed.events!);
      tag.outbox.acknowledge(m);
    }
  }
  return { fixes, events, bodies };
}

describe('SimulatedTag timeline', () => {
  it('takes a fix every interval, numbered, at exact times, and a battery report at start', () => {
    const { tag, at } = tagAt();
    at(T0 + 10 * MIN);
    const { fixes, events } = uploadAll(tag);
    expect(fixes.flat().map((f) => f.t)).toEqual(Array.from({ length: 11 }, (_, i) => T0 + i * MIN));
    expect(fixes.flat().map((f) => f.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(events.flat()[0]).toEqual({ seq: 0, t: T0, type: 'battery', level: 100, charging: false });
  });

  it('keeps fixes from an outage of 10 h at 15 s and uploads them in batches of at most 500, oldest first, with original times', () => {
    const outage = { from: T0 + 30 * MIN, to: T0 + 10.5 * H };
    const { tag, at } = tagAt({ intervalS: 15, outages: [outage] });
    // The tag is never connected here: a tick would find the link down; the outbox is its flash.
    at(T0 + 11 * H);
    const { fixes } = uploadAll(tag);
    const all = fixes.flat();
    expect(all).toHaveLength(11 * 240 + 1);
    expect(fixes.every((b) => b.length <= 500)).toBe(true);
    expect(fixes.map((b) => b.length)).toEqual([500, 500, 500, 500, 500, 141]);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.t - all[i - 1]!.t).toBe(15_000);
      expect(all[i]!.seq).toBe(all[i - 1]!.seq + 1);
    }
  });

  it('reports gps_lost when it goes indoors, Wi-Fi fixes meanwhile, and gps_regained outside', () => {
    const plan = (t: number): Environment => (t < T0 + 5 * MIN ? 'open' : t < T0 + 10 * MIN ? 'indoor' : 'open');
    const { tag, at } = tagAt({ environment: plan });
    at(T0 + 15 * MIN);
    const { fixes, events } = uploadAll(tag);
    expect(fixes.flat().map((f) => f.src).join(',')).toBe('gps,gps,gps,gps,gps,wifi,wifi,wifi,wifi,wifi,gps,gps,gps,gps,gps,gps');
    expect(events.flat().filter((e) => e.type.startsWith('gps'))).toEqual([
      { seq: 1, t: T0 + 5 * MIN, type: 'gps_lost' },
      { seq: 2, t: T0 + 10 * MIN, type: 'gps_regained' },
    ]);
    const wifi = fixes.flat().filter((f) => f.src === 'wifi');
    expect(Math.min(...wifi.map((f) => f.acc))).toBeGreaterThan(20);
  });

  it('reports tampering: a strap opened and closed, a case opened, a strap cut', () => {
    const { tag, at } = tagAt({
      tamper: [
        { at: T0 + 2 * MIN, kind: 'strap_opened', closedAfterS: 30 },
        { at: T0 + 5 * MIN, kind: 'case_opened', closedAfterS: 600 },
        { at: T0 + 8 * MIN, kind: 'strap_cut' },
      ],
    });
    at(T0 + H);
    const types = uploadAll(tag).events.flat().filter((e) => e.type !== 'battery').map((e) => [e.type, (e.t - T0) / 1000]);
    expect(types).toEqual([['strap_opened', 120], ['strap_closed', 150], ['case_opened', 300], ['strap_opened', 480], ['case_closed', 900]]);
  });

  it('obeys set_interval until its end, then falls back to the plan by itself', () => {
    const { tag, clock, at } = tagAt();
    at(T0 + 2 * MIN);
    clock.t = T0 + 2 * MIN + 5000;
    tag.handleCommand(JSON.stringify({ v: 1, id: 'c-1', cmd: 'set_interval', interval_s: 15, until: T0 + 4 * MIN }));
    at(T0 + 8 * MIN);
    const times = uploadAll(tag).fixes.flat().map((f) => (f.t - T0) / 1000);
    // Fast from the command (one 15 s interval after the last fix) until 240 s; from then on the
    // next fix comes one plan interval after the last fast one.
    expect(times).toEqual([0, 60, 120, 135, 150, 165, 180, 195, 210, 225, 285, 345, 405, 465]);
  });

  it('locate_now takes a fix at once; a redelivered command id is not executed again', () => {
    const { tag, clock, at } = tagAt();
    at(T0 + 30_000);
    clock.t = T0 + 42_000;
    const cmd = JSON.stringify({ v: 1, id: 'loc-1', cmd: 'locate_now' });
    expect(tag.handleCommand(cmd).kind).toBe('execute');
    expect(tag.handleCommand(cmd).kind).toBe('duplicate');
    at(T0 + 61_000);
    expect(uploadAll(tag).fixes.flat().map((f) => f.t - T0)).toEqual([0, 42_000, 60_000]);
  });

  it('a message is read later and confirmed with message_read carrying the command id', () => {
    const { tag, clock, at } = tagAt();
    clock.t = T0 + 1000;
    tag.handleCommand(JSON.stringify({ v: 1, id: 'msg-1', cmd: 'message', text: 'Visit the office on Monday', priority: 'urgent' }));
    tag.handleCommand(JSON.stringify({ v: 1, id: 'msg-1', cmd: 'message', text: 'Visit the office on Monday', priority: 'urgent' }));
    expect(tag.messages).toHaveLength(1);
    at(T0 + 2 * MIN);
    const reads = uploadAll(tag).events.flat().filter((e) => e.type === 'message_read');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.command).toBe('msg-1');
    expect(reads[0]!.t).toBe(tag.messages[0]!.readAt);
    expect(reads[0]!.t - T0).toBeLessThanOrEqual(61_000);
  });

  it('runs flat: powering_off (battery_flat) and nothing after it until the charger revives it', () => {
    const { tag, at } = tagAt({ batteryPct: 4, charging: [{ from: T0 + 5 * H, to: T0 + 7 * H }] });
    at(T0 + 8 * H);
    const { fixes, events } = uploadAll(tag);
    const flat = events.flat().find((e) => e.type === 'powering_off')!;
    expect(flat).toMatchObject({ t: T0 + 2 * H, reason: 'battery_flat' });
    const times = fixes.flat().map((f) => f.t);
    expect(times.filter((t) => t > flat.t && t < T0 + 5 * H)).toEqual([]);
    // Boots at 3% on the charger (3/50 h after plugging in) and reports again from then on.
    const boot = T0 + 5 * H + (3 / 50) * H;
    expect(times.find((t) => t > flat.t)).toBe(Math.round(boot));
    expect(tag.poweredOn).toBe(true);
  });

  it('follows a road: a Bishkek to Osh journey is in Osh after its duration', () => {
    const route = routeAlong(road('bishkek-osh'));
    const { tag } = tagAt({ movement: { kind: 'route', route, departAt: T0 + H } });
    expect(tag.truePosition(T0)).toEqual([74.596, 42.864]);
    expect(tag.truePosition(T0 + H + route.durationS * 1000 + 1)).toEqual([72.798, 40.532]);
  });
});

describe('what the tags send validates against ingest', () => {
  it('several hundred messages from a day of varied tags are all accepted', () => {
    const now = Date.now();
    let fixMessages = 0;
    let eventMessages = 0;
    const types = new Set<string>();
    const srcs = new Set<string>();
    for (let k = 0; k < 12; k++) {
      const id = `SIM-VAL-${k}`;
      const { tag, clock, at } = tagAt(
        {
          intervalS: [15, 60, 300][k % 3],
          environment: dailyRoutine(k),
          outlierScale: 3,
          batteryPct: 15 + k * 7,
          charging: k % 4 === 0 ? [] : dailyCharging(k, T0, 2),
          outages: LinkSchedule.random(k, T0, 1, 3),
          tamper: k % 2 ? [{ at: T0 + 3 * H, kind: 'strap_opened', closedAfterS: 20 }, { at: T0 + 5 * H, kind: 'case_opened' }] : [],
          movement: k % 5 === 0 ? { kind: 'route', route: routeAlong(road('bishkek-karakol')) } : { kind: 'home', home: HOME, wanderM: 200 },
        },
        id,
      );
      for (let h = 1; h <= 24; h++) {
        at(T0 + h * H);
        if (h % 6 === 0) {
          clock.t += 1000;
          tag.handleCommand(JSON.stringify({ v: 1, id: `${id}-${h}`, cmd: h % 12 ? 'message' : 'locate_now', text: 'Please call', priority: 'normal' }));
        }
        for (const { channel, body } of uploadAll(tag).bodies) {
          const payload = Buffer.from(body);
          const r = channel === 'fixes' ? validateFixBatch(id, payload, now, LIMITS) : validateEventBatch(id, payload, now, LIMITS);
          if (!r.ok) throw new Error(`${id} ${channel}: ${r.reason} ${r.message}`);
          if (channel === 'fixes') fixMessages++;
          else eventMessages++;
          for (const x of JSON.parse(body)[channel] as { type?: string; src?: string }[]) {
            if (x.type) types.add(x.type);
            if (x.src) srcs.add(x.src);
          }
        }
      }
    }
    expect(fixMessages + eventMessages).toBeGreaterThan(300);
    expect([...srcs].sort()).toEqual(['cell', 'gps', 'wifi']);
    for (const t of ['battery', 'gps_lost', 'gps_regained', 'strap_opened', 'strap_closed', 'case_opened', 'charger_connected', 'charger_disconnected', 'message_read', 'powering_off']) expect(types).toContain(t);
  });

  it('the status and the last will validate', () => {
    for (const s of [{ v: 1, online: true, fw: 'sim-1.0.0', interval_s: 60 }, { v: 1, online: false }]) {
      expect(validateStatus('SIM-VAL-1', Buffer.from(JSON.stringify(s)), LIMITS).ok).toBe(true);
    }
  });
});
