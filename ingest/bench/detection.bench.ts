/**
 * `npm run bench:detection`: how fast and how reliably the production detection (device-detector.ts
 * through the offline replay session) alerts on GPS ankle-tag exits across real KGZ lines, and how
 * often it alerts falsely, on noisy tracks from firmware-sim/noisy-track.ts with a known truth.
 *
 * Two modes over the same cases (the same receiver error process):
 * - fixed: a fix every 60 s, downlink commands ignored;
 * - adaptive: the tag obeys the platform's commands: each command object the session returns is
 *   serialised, parsed by firmware-sim's parseCommand and applied to a ReportingInterval after a
 *   downlink delay (2 s), rescheduling the next fix as simulated-tag.ts does
 *   (nextFixAt = max(now, lastFixAt + interval)), also when a temporary interval runs out.
 *
 * Live fixes are delivered one by one at device time + 1-3 s; a late batch in one delivery.
 * Latency = alertAt of the matched episode (delivery time of the confirming fix) - true crossing.
 *
 * Env: BENCH_EXITS (400), BENCH_TAG_DAYS (300: inside tags x BENCH_INSIDE_DAYS), BENCH_INSIDE_DAYS (3),
 * BENCH_LATE (60), BENCH_SEED (1). Flags: --write-tracks <dir> (one replay input per case and
 * mode, truth in a `truth` field, plus index.json), --details (the odd cases, one line each),
 * --mode fixed|adaptive (only one), --settings <overrides.json> (proposed settings, the format
 * `npm run replay -- --settings` takes).
 * Output: a few human-readable lines, then one JSON line per mode.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kgzEngine, kgzUnits } from '../../geofence/fixtures/kgz.ts';
import type { GeofenceEngine } from '../../geofence/index.ts';
import { ReplaySession, type ReplayEpisode, type ReplayFix } from '../replay/replay-session.ts';
import { replayInputErrors } from '../replay/replay-schema.ts';
import { applyOverrides } from '../replay/replay-overrides.ts';
import { parseCommand } from '../../firmware-sim/downlink-command.ts';
import { ReportingInterval } from '../../firmware-sim/reporting-interval.ts';
import {
  SITE_UNITS,
  batchDelivery,
  findSites,
  generateCases,
  linkDelayMs,
  replayDocument,
  type DeliveredFix,
  type Delivery,
  type NoisyFix,
  type TrackCase,
} from '../../firmware-sim/noisy-track.ts';

const EXITS = Number(process.env.BENCH_EXITS ?? 400);
const TAG_DAYS = Number(process.env.BENCH_TAG_DAYS ?? 300);
const INSIDE_DAYS = Number(process.env.BENCH_INSIDE_DAYS ?? 3);
const LATE = Number(process.env.BENCH_LATE ?? 60);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const DOWNLINK_MS = 2000;

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const WRITE_DIR = argValue('--write-tracks');
const DETAILS = args.includes('--details');
const ONLY = argValue('--mode');
// Proposed settings, as `npm run replay -- --settings` takes them (ingest/replay/replay-overrides.ts).
const SETTINGS_FILE = argValue('--settings');
const overrides = applyOverrides(SETTINGS_FILE ? JSON.parse(readFileSync(SETTINGS_FILE, 'utf8')) : {});
if (!overrides.ok) throw new Error(`${SETTINGS_FILE}: ${overrides.errors.join('; ')}`);
const SETTINGS = overrides.settings;

const log = (s: string) => console.log(`[bench:detection] ${s}`);

type Mode = 'fixed' | 'adaptive';

interface RunResult {
  c: TrackCase;
  episodes: ReplayEpisode[];
  deliveries: Delivery[];
  /** Fast-mode time within the case's inside periods, ms. */
  fastInsideMs: number;
  /** Fixes taken within the inside periods. */
  fixesInside: number;
  commands: number;
  badCommands: number;
  wallMs: number;
}

const toReplay = (f: NoisyFix): ReplayFix => ({ t: f.t, lon: f.lon, lat: f.lat, acc: f.acc, src: f.src });

function countInside(c: TrackCase, times: number[]): number {
  return times.filter((t) => c.insidePeriods.some(([a, b]) => t >= a && t < b)).length;
}

/** Length of the intersection of a step function's "fast" stretches with the inside periods. */
function fastWithin(c: TrackCase, changes: [number, boolean][]): number {
  let ms = 0;
  for (let i = 0; i < changes.length; i++) {
    const [from, fast] = changes[i]!;
    if (!fast) continue;
    const to = Math.min(changes[i + 1]?.[0] ?? c.endAt, c.endAt);
    for (const [a, b] of c.insidePeriods) ms += Math.max(0, Math.min(to, b) - Math.max(from, a));
  }
  return ms;
}

function runFixed(engine: GeofenceEngine, c: TrackCase): RunResult {
  const started = performance.now();
  const session = new ReplaySession(engine, c.input, SETTINGS);
  const deliveries = c.fixes;
  let commands = 0;
  for (const d of deliveries) commands += session.deliver(d.fixes.map(toReplay), d.at).commands.length;
  const times = deliveries.flatMap((d) => d.fixes.map((f) => f.t));
  return { c, episodes: session.episodes(), deliveries, fastInsideMs: 0, fixesInside: countInside(c, times), commands, badCommands: 0, wallMs: performance.now() - started };
}

function runAdaptive(engine: GeofenceEngine, c: TrackCase): RunResult {
  const started = performance.now();
  const session = new ReplaySession(engine, c.input, SETTINGS);
  const rx = c.receiver();
  const link = c.linkRand();
  const plan = c.input.device.intervalSec;
  const interval = new ReportingInterval(plan);
  const late = c.late;
  const linkUp = (t: number) => !late || t < late.from || t >= late.to;
  const deliveries: Delivery[] = [];
  const pending: { at: number; payload: string }[] = [];
  const buffer: DeliveredFix[] = [];
  const changes: [number, boolean][] = [[c.startAt, false]];
  const times: number[] = [];
  let nextFixAt = c.startAt;
  let lastFixAt: number | null = null;
  let liveAfter = 0;
  let batchAt: number | null = null;
  let batchDone = false;
  let commands = 0;
  let badCommands = 0;

  const receive = (cmds: Record<string, unknown>[], at: number) => {
    commands += cmds.length;
    for (const cmd of cmds) {
      const item = { at: at + DOWNLINK_MS, payload: JSON.stringify(cmd) };
      const k = pending.findIndex((p) => p.at > item.at);
      if (k < 0) pending.push(item);
      else pending.splice(k, 0, item);
    }
  };
  const deliver = (d: Delivery) => {
    deliveries.push(d);
    receive(session.deliver(d.fixes.map(toReplay), d.at).commands, d.at);
  };
  const mode = (t: number) => {
    const fast = interval.at(t) < plan;
    if (changes[changes.length - 1]![1] !== fast) changes.push([t, fast]);
  };
  // simulated-tag.ts: after an interval change the next fix is one new interval after the last one, or now
  const reschedule = (t: number) => {
    if (lastFixAt !== null) nextFixAt = Math.max(t, lastFixAt + interval.at(t) * 1000);
  };
  const takeFix = (t: number) => {
    const f = rx.sample(t, c.truthAt(t));
    lastFixAt = t;
    times.push(t);
    const delay = linkDelayMs(link);
    if (!linkUp(t)) {
      buffer.push({ ...f, deliveredAt: NaN, buffered: true });
      return;
    }
    const at = t + delay;
    deliver({ at, fixes: [{ ...f, deliveredAt: at, buffered: false }] });
    if (late && !batchDone && t >= late.to && ++liveAfter >= late.afterLiveFixes) {
      batchDone = true;
      batchAt = at + late.extraMs;
    }
  };

  let now = c.startAt;
  for (;;) {
    const tFix = nextFixAt;
    const tCmd = pending[0]?.at ?? Infinity;
    const tEnd = interval.overrideEndsAt(now);
    const tBatch = batchAt ?? Infinity;
    const next = Math.min(tFix, tCmd, tEnd, tBatch);
    if (next >= c.endAt && next !== tBatch) break;
    now = next;
    if (next === tBatch) {
      batchAt = null;
      deliver(batchDelivery(c, buffer, now));
    } else if (next === tCmd) {
      const p = pending.shift()!;
      if (!linkUp(now)) {
        // no downlink while the link is down: the broker keeps it for the session
        pending.unshift({ ...p, at: late!.to });
        continue;
      }
      const parsed = parseCommand(p.payload);
      if (!parsed.ok) {
        badCommands++;
        continue;
      }
      const cmd = parsed.command;
      if (cmd.cmd === 'set_interval') {
        interval.set(cmd.intervalS, cmd.until);
        reschedule(now);
        mode(now);
      } else if (cmd.cmd === 'locate_now') takeFix(now);
    } else if (next === tEnd) {
      // the temporary interval ran out: back to the plan by itself
      reschedule(now);
      mode(now);
    } else {
      const due = nextFixAt;
      takeFix(due);
      nextFixAt = due + interval.at(due) * 1000;
    }
  }
  if (late && !batchDone && buffer.length) deliver(batchDelivery(c, buffer, c.endAt));
  return {
    c,
    episodes: session.episodes(),
    deliveries,
    fastInsideMs: fastWithin(c, changes),
    fixesInside: countInside(c, times),
    commands,
    badCommands,
    wallMs: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

const epStart = (e: ReplayEpisode) => Date.parse(e.start);
const epEnd = (e: ReplayEpisode) => (e.end === null ? Infinity : Date.parse(e.end));

/** The true excursion, [crossing, return or end of track]. */
function truthWindow(c: TrackCase): [number, number] | null {
  return c.truth.crossingAt === undefined ? null : [c.truth.crossingAt, c.truth.returnAt ?? c.endAt];
}

const overlapsTruth = (e: ReplayEpisode, w: [number, number] | null) => w !== null && epStart(e) <= w[1] && epEnd(e) >= w[0];

interface FalseEpisode {
  r: RunResult;
  e: ReplayEpisode;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : null);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function score(mode: Mode, results: RunResult[], runMs: number) {
  const latencies: { r: RunResult; s: number; e: ReplayEpisode }[] = [];
  const missed: RunResult[] = [];
  const falseZone: FalseEpisode[] = [];
  const falseCountry: FalseEpisode[] = [];
  const flaps: RunResult[] = [];
  const late = { batches: 0, detected: 0, markedLate: 0, duplicates: 0 };
  const lateMissed: RunResult[] = [];
  let insideMs = 0;
  let insideTagMs = 0;
  let fastMs = 0;
  let fixesInside = 0;
  let commands = 0;
  let badCommands = 0;
  for (const r of results) {
    const { c } = r;
    insideMs += c.truth.insideMs;
    fixesInside += r.fixesInside;
    commands += r.commands;
    badCommands += r.badCommands;
    if (c.kind === 'inside') {
      insideTagMs += c.truth.insideMs;
      fastMs += r.fastInsideMs;
    }
    const w = truthWindow(c);
    for (const e of r.episodes) {
      if (e.rule === 'country_border') {
        if (c.truth.rule !== 'country_border' || !overlapsTruth(e, w)) falseCountry.push({ r, e });
      } else if (!overlapsTruth(e, w)) falseZone.push({ r, e });
    }
    if (!w) continue;
    const matched = r.episodes.filter((e) => e.rule === c.truth.rule && overlapsTruth(e, w)).sort((a, b) => Date.parse(a.alertAt) - Date.parse(b.alertAt));
    if (c.kind === 'late_batch') {
      late.batches++;
      if (matched.length) {
        late.detected++;
        if (matched[0]!.late) late.markedLate++;
        late.duplicates += matched.length - 1;
      } else lateMissed.push(r);
      continue;
    }
    if (!matched.length) {
      missed.push(r);
      continue;
    }
    if (matched.length > 1) flaps.push(r);
    latencies.push({ r, e: matched[0]!, s: round((Date.parse(matched[0]!.alertAt) - c.truth.crossingAt!) / 1000, 1) });
  }
  const exits = latencies.length + missed.length;
  const sorted = latencies.map((l) => l.s).sort((a, b) => a - b);
  const tagDays = insideMs / 86_400_000;
  const figures = {
    mode,
    exits,
    within120: round(latencies.filter((l) => l.s <= 120).length / exits),
    within240: round(latencies.filter((l) => l.s <= 240).length / exits),
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted.length ? sorted[sorted.length - 1]! : null,
    missed: missed.length,
    falseZonePerTagDay: round(falseZone.length / tagDays, 4),
    falseCountry: falseCountry.length,
    tagDays: round(tagDays, 2),
    late,
    fastSharePerTagDay: round(insideTagMs ? fastMs / insideTagMs : 0, 4),
    fixesPerTagDay: round(fixesInside / tagDays, 1),
    earlyAlerts: latencies.filter((l) => l.s < 0).length,
    reopenedExits: flaps.length,
    commands,
    badCommands,
    seed: SEED,
    runS: round(runMs / 1000, 1),
  };
  return { figures, latencies, missed, falseZone, falseCountry, lateMissed, flaps };
}

function describe(c: TrackCase): string {
  const m = c.motion ? ` ${c.motion.speedKmh.toFixed(0)}km/h ${c.motion.angleDeg.toFixed(0)}deg beyond=${c.motion.beyondM.toFixed(0)}m` : '';
  return `${c.id} unit=${c.site.unitId} acc=${c.accM}m depth=${c.depthM.toFixed(1)}m${m}`;
}

function byFamily(results: RunResult[], s: ReturnType<typeof score>): string {
  const parts: string[] = [];
  for (const fam of ['district', 'border', 'lake'] as const) {
    for (const kind of ['walk_exit', 'drive_exit'] as const) {
      const l = s.latencies.filter((x) => x.r.c.family === fam && x.r.c.kind === kind).map((x) => x.s).sort((a, b) => a - b);
      const miss = s.missed.filter((r) => r.c.family === fam && r.c.kind === kind).length;
      const n = l.length + miss;
      if (!n) continue;
      parts.push(`${fam}/${kind.replace('_exit', '')}: n=${n} w120=${(l.filter((x) => x <= 120).length / n).toFixed(2)} p50=${quantile(l, 0.5)} p90=${quantile(l, 0.9)} missed=${miss}`);
    }
    const fz = s.falseZone.filter((f) => f.r.c.family === fam).length;
    const fc = s.falseCountry.filter((f) => f.r.c.family === fam).length;
    const days = results.filter((r) => r.c.family === fam).reduce((a, r) => a + r.c.truth.insideMs, 0) / 86_400_000;
    parts.push(`${fam}: falseZone=${fz} falseCountry=${fc} over ${days.toFixed(1)} tag-days`);
  }
  return parts.join('\n  ');
}

// ---------------------------------------------------------------------------------------------

const t0 = performance.now();
const engine = kgzEngine();
const sites = findSites(engine, kgzUnits(), { unitIds: SITE_UNITS });
const insideTags = Math.ceil(TAG_DAYS / INSIDE_DAYS);
const cases = generateCases(engine, sites, { inside: insideTags, exits: EXITS, late: LATE }, { seed: SEED, insideDays: INSIDE_DAYS });
log(
  `seed ${SEED}: ${sites.district.length} district, ${sites.border.length} border, ${sites.lake.length} lake sites; ` +
    `${insideTags} inside tags x ${INSIDE_DAYS} d, ${EXITS} exits, ${LATE} late batches; setup ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
if (WRITE_DIR) mkdirSync(WRITE_DIR, { recursive: true });
const knownUnits = new Set(kgzUnits().filter((u) => u.level === 2).map((u) => u.id));

const modes: Mode[] = ONLY === 'fixed' || ONLY === 'adaptive' ? [ONLY] : ['fixed', 'adaptive'];
const lines: string[] = [];
for (const mode of modes) {
  const started = performance.now();
  const results = cases.map((c) => (mode === 'fixed' ? runFixed(engine, c) : runAdaptive(engine, c)));
  const runMs = performance.now() - started;
  const s = score(mode, results, runMs);
  const f = s.figures;
  const nFixes = results.reduce((a, r) => a + r.deliveries.reduce((b, d) => b + d.fixes.length, 0), 0);
  log(`${mode}: ${nFixes} fixes in ${(runMs / 1000).toFixed(1)} s (${((runMs * 1000) / nFixes).toFixed(1)} us/fix)`);
  log(`${mode}: exits ${f.exits}, within 120 s ${(f.within120 * 100).toFixed(1)} %, within 240 s ${(f.within240 * 100).toFixed(1)} %, p50 ${f.p50} s, p90 ${f.p90} s, max ${f.max} s, missed ${f.missed}`);
  log(`${mode}: false zone episodes ${s.falseZone.length} (${f.falseZonePerTagDay}/tag-day over ${f.tagDays} tag-days), false country ${f.falseCountry}; late ${JSON.stringify(f.late)}; fast share ${(f.fastSharePerTagDay * 100).toFixed(2)} %, ${f.fixesPerTagDay} fixes/tag-day`);
  log(`${mode}: by family\n  ${byFamily(results, s)}`);
  if (DETAILS) {
    const slowest = [...s.latencies].sort((a, b) => b.s - a.s).slice(0, 8);
    for (const l of slowest) log(`${mode}: slow ${l.s} s ${describe(l.r.c)} by=${l.e.type}${l.e.late ? ' late' : ''}`);
    for (const r of s.missed) log(`${mode}: missed ${describe(r.c)} episodes=${JSON.stringify(r.episodes)}`);
    for (const r of s.lateMissed) log(`${mode}: late missed ${describe(r.c)} shuffled=${r.c.late?.shuffle}`);
    for (const { r, e } of [...s.falseZone, ...s.falseCountry]) {
      const dur = e.end === null ? 'open' : `${((Date.parse(e.end) - Date.parse(e.start)) / 1000).toFixed(0)} s`;
      const rel = r.c.truth.crossingAt !== undefined ? ` ${((Date.parse(e.start) - r.c.truth.crossingAt) / 1000).toFixed(0)} s from crossing` : '';
      log(`${mode}: false ${e.rule} ${describe(r.c)} start=${e.start} dur=${dur}${rel}${e.late ? ' late' : ''}`);
    }
    for (const r of s.flaps) log(`${mode}: reopened ${describe(r.c)} episodes=${r.episodes.filter((e) => e.rule === r.c.truth.rule).length}`);
    const slowCases = [...results].sort((a, b) => b.wallMs - a.wallMs).slice(0, 3);
    for (const r of slowCases) log(`${mode}: slowest to run ${r.c.id} ${r.wallMs.toFixed(0)} ms, ${r.deliveries.length} deliveries`);
  }
  if (WRITE_DIR) {
    for (const r of results) {
      const doc = replayDocument(r.c, r.deliveries);
      const errors = replayInputErrors(doc, knownUnits);
      if (errors.length) throw new Error(`${r.c.id}: generated replay input is invalid: ${errors.join('; ')}`);
      writeFileSync(join(WRITE_DIR, `${r.c.id}.${mode}.json`), JSON.stringify(doc));
    }
  }
  lines.push(JSON.stringify(f));
}
if (WRITE_DIR) {
  const index = cases.map((c) => ({ ...(replayDocument(c, []).truth as object), files: modes.map((m) => `${c.id}.${m}.json`) }));
  writeFileSync(join(WRITE_DIR, 'index.json'), JSON.stringify(index, null, 1));
  log(`wrote ${cases.length * modes.length} replay inputs and index.json to ${WRITE_DIR}`);
}
log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
for (const l of lines) console.log(l);
