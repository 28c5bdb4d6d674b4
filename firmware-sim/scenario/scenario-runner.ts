import { randomBytes } from 'node:crypto';
import { SimulatedTag } from '../simulated-tag.ts';
import { alertsOf, checkExpectation, type ExpectationResult } from './expectations.ts';
import type { ScenarioPlatform } from './scenario-platform.ts';
import { planScenario, type ScenarioPlan } from './scenario-plan.ts';
import type { Scenario } from './scenario-schema.ts';
import type { ResolvedSettings } from './scenario-settings.ts';
import { applyTravelDecision, ScenarioSetupError, seedScenario } from './seed-scenario.ts';

export interface ScenarioResult {
  name: string;
  pass: boolean;
  /** One line per expectation (PASS/FAIL and what was seen), or the setup error. */
  lines: string[];
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How long the runner waits for uploads, storage and the alert pipeline after the timeline without
 * progress: storage restarts the wait each time more of the uploads are stored, so a machine under
 * load is slower, not failed, and only a stall fails the run.
 */
export const SETTLE_LIMIT_MS = 20_000;
/** Lead time between planning and the scenario start, for seeding and the broker's reload. */
const LEAD_MS = 600;

/**
 * Runs one validated scenario on a running platform:
 * 1. plans it from t0 = now + a short lead (device time is the wall clock),
 * 2. gives its tags broker credentials and seeds clients, zones and devices,
 * 3. plays the timeline: every ~20 ms the tags' clock moves to the wall clock, due actions (travel
 *    decisions, battery changes) are applied, and every tag runs its firmware (fixes, events,
 *    outages with store-and-forward, downlink commands),
 * 4. at durationS freezes the clock, waits until every record the tags could upload is stored and
 *    the outbox, relay and alert queue are idle,
 * 5. checks the expectations against the `alerts` table, then closes the tags and retires them.
 */
export async function runScenario(p: ScenarioPlatform, s: Scenario, settings: ResolvedSettings, log: (line: string) => void = () => {}): Promise<ScenarioResult> {
  const started = Date.now();
  const t0 = Date.now() + LEAD_MS;
  const plan = planScenario(s, settings, t0, `S${randomBytes(3).toString('hex')}-`);
  let clients: Map<string, string>;
  try {
    await p.broker.addDevices(plan.devices.map((d) => d.id));
    clients = await seedScenario(p.pool, s, plan);
  } catch (err) {
    const lines = err instanceof ScenarioSetupError ? err.errors.map((e) => `FAIL setup: ${e}`) : [`FAIL setup: ${(err as Error).message}`];
    return { name: s.name, pass: false, lines, wallMs: Date.now() - started };
  }
  const clock = { t: t0 };
  const tags = plan.devices.map((d) => new SimulatedTag({ ...d.tag, id: d.id, password: p.broker.devicePassword(d.id) }, p.broker.topics, () => clock.t));
  const byKey = new Map(plan.devices.map((d, i) => [d.key, tags[i]!]));
  try {
    await sleep(t0 - Date.now());
    clock.t = Date.now();
    await Promise.all(tags.map((t) => t.connect(p.broker.url).catch(() => {})));
    await play(p, plan, tags, byKey, clients, clock, log);
    await settle(p, plan, tags, clock);
    const seen = await alertsOf(p.pool, clients);
    const results: ExpectationResult[] = s.expectations.map((e) => checkExpectation(e, seen, t0));
    return { name: s.name, pass: results.every((r) => r.pass), lines: results.map((r) => r.line), wallMs: Date.now() - started };
  } catch (err) {
    return { name: s.name, pass: false, lines: [`FAIL run: ${(err as Error).message}`], wallMs: Date.now() - started };
  } finally {
    await Promise.all(tags.map((t) => t.close().catch(() => {})));
    // Retired tags leave the watchdog sweep, so later scenarios on this platform never hear of them.
    await p.pool.query(`update devices set status = 'retired' where id = any($1)`, [plan.devices.map((d) => d.id)]).catch(() => {});
  }
}

async function play(
  p: ScenarioPlatform, plan: ScenarioPlan, tags: SimulatedTag[], byKey: Map<string, SimulatedTag>, clients: Map<string, string>, clock: { t: number }, log: (line: string) => void,
): Promise<void> {
  const busy = new Set<SimulatedTag>();
  let next = 0;
  for (;;) {
    const wall = Date.now();
    clock.t = Math.min(wall, plan.endAt);
    while (next < plan.actions.length && plan.actions[next]!.at <= clock.t) {
      const a = plan.actions[next++]!;
      if (a.kind === 'permit') await applyTravelDecision(p.pool, clients.get(a.clientKey)!, a);
      else byKey.get(a.deviceKey)!.retuneBattery(a.at, a.changes);
      log(`  ${((a.at - plan.t0) / 1000).toFixed(1)}s ${a.label}`);
    }
    for (const tag of tags) {
      if (busy.has(tag)) continue;
      busy.add(tag);
      void tag.tick().catch(() => {}).finally(() => busy.delete(tag));
    }
    if (wall >= plan.endAt) break;
    await sleep(20);
  }
  while (busy.size) await sleep(10);
}

/** Waits until what the tags could upload is stored and the alert pipeline is idle. */
async function settle(p: ScenarioPlatform, plan: ScenarioPlan, tags: SimulatedTag[], clock: { t: number }): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  const canUpload = (i: number) => tags[i]!.poweredOn && !(plan.devices[i]!.tag.outages as { from: number; to: number }[]).some((o) => clock.t >= o.from && clock.t < o.to);
  // Uploads: keep the firmware running (the clock stays at the end, so nothing new is recorded).
  while (tags.some((t, i) => t.buffered > 0 && canUpload(i))) {
    if (Date.now() > deadline) throw new Error(`tags still hold ${tags.map((t) => t.buffered).join('/')} records after ${SETTLE_LIMIT_MS} ms`);
    await Promise.all(tags.map((t) => t.tick().catch(() => {})));
    await sleep(20);
  }
  // Storage: every uploaded fix and event is in the database.
  let storedBefore = -1;
  let storageDeadline = Date.now() + SETTLE_LIMIT_MS;
  for (;;) {
    const { rows } = await p.pool.query<{ id: string; fixes: number; events: number }>(
      `select d.id, (select count(*)::int from positions where device_id = d.id) as fixes, (select count(*)::int from device_events where device_id = d.id) as events
         from devices d where d.id = any($1)`,
      [plan.devices.map((d) => d.id)],
    );
    const stored = new Map(rows.map((r) => [r.id, r]));
    const missing = tags.filter((t) => {
      const r = stored.get(t.id);
      return !r || r.fixes < t.recorded.fixes - t.outbox.pending('fixes') || r.events < t.recorded.events - t.outbox.pending('events');
    });
    if (!missing.length) break;
    const storedNow = rows.reduce((n, r) => n + r.fixes + r.events, 0);
    if (storedNow > storedBefore) {
      storedBefore = storedNow;
      storageDeadline = Date.now() + SETTLE_LIMIT_MS;
    }
    if (Date.now() > storageDeadline) throw new Error(`uploads of ${missing.map((t) => t.id).join(', ')} not stored: no progress for ${SETTLE_LIMIT_MS} ms`);
    await sleep(50);
  }
  // Alert pipeline: outbox relayed, no intent waiting, running or retrying. Twice in a row, so a
  // close intent written by the last commit cannot slip between the two checks.
  let quiet = 0;
  const pipelineDeadline = Date.now() + SETTLE_LIMIT_MS;
  while (quiet < 2) {
    const { rows } = await p.pool.query<{ n: number }>('select count(*)::int as n from outbox where relayed_at is null');
    const counts = await p.alerts.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const busy = rows[0]!.n + Object.values(counts).reduce((a, b) => a + b, 0);
    quiet = busy === 0 ? quiet + 1 : 0;
    if (Date.now() > pipelineDeadline) throw new Error(`alert pipeline still busy after ${SETTLE_LIMIT_MS} ms (${JSON.stringify(counts)}, outbox ${rows[0]!.n})`);
    await sleep(150);
  }
}
