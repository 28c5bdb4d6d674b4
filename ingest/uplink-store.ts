import type pg from 'pg';
import { inTransaction, numberArrayLiteral, textArrayLiteral } from '../infra/db/sql.ts';
import type { GeofenceEngine } from '../geofence/index.ts';
import { episodeKey, type AlertIntent } from '../alerts/alert-intent.ts';
import { ALERT_CATALOGUE } from '../alerts/alert-catalogue.ts';
import { enqueueAlertIntents } from '../alerts/alert-outbox.ts';
import { detectDevice, lateWindow, type DetectionSettings, type RuleState } from './device-detector.ts';
import { DEFAULT_SILENCE, silenceThresholdMs, type SilenceSettings } from '../alerts/silence.ts';
import { initialDeviceEpisodeState, stepDeviceEvents, stepDeviceStatus, type DeviceEpisodeState, type DeviceTransition } from '../alerts/device-episodes.ts';
import { DEFAULT_NO_LOCATION, initialNoLocationState, movingBefore, stepNoLocation, type NoLocationItem, type NoLocationSettings } from '../alerts/no-location.ts';
import type { DeviceConnectionStatus, DeviceEvent, Fix } from '../infra/domain/types.ts';
import type { DeviceEntry } from './device-registry.ts';
import { ownerAt, pastRulePrefix, type AssignmentSpan, type Owner } from './assignment-at.ts';

/** Everything one commit writes: validated fixes, device events and status changes. */
export interface UplinkBatch {
  fixes: Fix[];
  events: DeviceEvent[];
  statuses: DeviceConnectionStatus[];
}

export interface WriteResult {
  stored: number;
  duplicates: number;
  /** New fixes stored with no client: the tag was fitted on nobody at their device time (flagged on the device). */
  unassigned: number;
  eventsStored: number;
  intents: AlertIntent[];
}

/** The events of this batch that were stored for the first time (redelivered ones change nothing). */
function newEvents(events: DeviceEvent[], stored: Set<string>): DeviceEvent[] {
  return events.filter((e) => stored.has(`${e.deviceId}|${e.deviceTime}|${e.seq}`));
}

/** Most stored fixes one late window re-examines (a 1 Hz tag's two hours). */
const LATE_TRACK_LIMIT = 7_200;

const DEADLOCK = '40P01';
const SERIALIZATION = '40001';

/**
 * Stores a batch of validated uplink data and everything it causes, atomically: positions and
 * device events (idempotent on device, device time and sequence), device status, the geofence
 * episode (confirmation) state, and alert intents in the outbox. Only fixes that were not stored before are
 * evaluated, so a redelivered message changes nothing.
 */
export class UplinkStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly engine: GeofenceEngine,
    private readonly detection: DetectionSettings,
    private readonly silence: SilenceSettings = DEFAULT_SILENCE,
    private readonly noLocation: NoLocationSettings = DEFAULT_NO_LOCATION,
  ) {}

  async write(batch: UplinkBatch, devices: Map<string, DeviceEntry | null>): Promise<WriteResult> {
    // Build the geofence indexes these fixes need before the transaction: the country's takes over
    // a second (several on a loaded host), and inside the transaction it held the devices' row
    // locks and stamped last_seen_at with the transaction's start, so the silence watchdog saw a
    // tag as silent since before its first beacon. A no-op once built.
    for (const id of new Set(batch.fixes.map((f) => f.deviceId))) {
      const ctx = devices.get(id)?.context;
      if (!ctx) continue;
      try {
        this.engine.prepareContext(ctx);
      } catch {
        // Only a cache warm-up: a context the engine cannot compile (an unknown unit) fails in
        // evaluate, for the fixes that need it, as it did before this warm-up existed.
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(batch, devices);
      } catch (err) {
        const code = (err as { code?: string }).code;
        // Two ingest processes may lock the same devices' state rows; the loser retries.
        if ((code === DEADLOCK || code === SERIALIZATION) && attempt < 5) continue;
        throw err;
      }
    }
  }

  private async writeOnce({ fixes, events, statuses }: UplinkBatch, devices: Map<string, DeviceEntry | null>): Promise<WriteResult> {
    const owner = (f: { deviceId: string; deviceTime: number }): Owner => ownerAt(devices.get(f.deviceId)?.assignments, f.deviceTime);
    const owners = fixes.map(owner);
    return inTransaction(this.pool, async (client) => {
      const eventsStored = events.length ? await this.writeEvents(client, events) : new Set<string>();
      if (statuses.length) await this.writeStatuses(client, statuses);
      const inserted = await client.query<{ device_id: string; t: string; seq: string }>(
        `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
         select d, to_timestamp(t / 1000.0), s, c, lo, la, a, src
           from unnest($1::text[], $2::float8[], $3::int8[], $4::uuid[], $5::float8[], $6::float8[], $7::float4[], $8::text[])
                as u(d, t, s, c, lo, la, a, src)
         on conflict do nothing
         returning device_id, round(extract(epoch from device_time) * 1000)::int8 as t, seq`,
        [
          textArrayLiteral(fixes.map((f) => f.deviceId)),
          numberArrayLiteral(fixes.map((f) => f.deviceTime)),
          numberArrayLiteral(fixes.map((f) => f.seq)),
          // The client of the assignment current at the fix's device time, not at its arrival.
          textArrayLiteral(owners.map((o) => (o.kind === 'none' ? null : o.span.clientId))),
          numberArrayLiteral(fixes.map((f) => f.lon)),
          numberArrayLiteral(fixes.map((f) => f.lat)),
          numberArrayLiteral(fixes.map((f) => f.accuracyM)),
          textArrayLiteral(fixes.map((f) => f.source)),
        ],
      );
      const fresh = new Set(inserted.rows.map((r) => `${r.device_id}|${r.t}|${r.seq}`));
      const newFixes: Fix[] = [];
      const live: Fix[] = [];
      const past = new Map<string, { deviceId: string; span: AssignmentSpan & { to: number }; fixes: Fix[] }>();
      const unassigned = new Map<string, { count: number; newest: number }>();
      for (let i = 0; i < fixes.length; i++) {
        const f = fixes[i]!;
        if (!fresh.delete(`${f.deviceId}|${f.deviceTime}|${f.seq}`)) continue;
        newFixes.push(f);
        const o = owners[i]!;
        if (o.kind === 'current') live.push(f);
        else if (o.kind === 'past') {
          const key = `${f.deviceId}|${o.span.id}`;
          const g = past.get(key) ?? { deviceId: f.deviceId, span: o.span, fixes: [] };
          g.fixes.push(f);
          past.set(key, g);
        } else {
          const u = unassigned.get(f.deviceId) ?? { count: 0, newest: -Infinity };
          u.count++;
          u.newest = Math.max(u.newest, f.deviceTime);
          unassigned.set(f.deviceId, u);
        }
      }
      const { horizon, silenceEnded, gnssWatched } = await this.touchDevices(client, fixes, events, newFixes);
      if (unassigned.size) await this.flagUnassigned(client, unassigned);
      const intents = await this.evaluate(client, live, devices, horizon);
      if (past.size) intents.push(...(await this.evaluatePast(client, [...past.values()])));
      intents.push(...silenceEnded);
      // Tamper, battery and no-location episodes are the current client's: an event stamped while
      // the tag was on nobody, or on an earlier client, is stored but raises nothing now.
      const freshEvents = newEvents(events, eventsStored).filter((e) => owner(e).kind === 'current');
      // Devices already watched, and those losing GNSS in this very batch (a store-and-forward
      // upload carries the loss and the fixes after it together).
      for (const e of freshEvents) if (e.type === 'gps_lost') gnssWatched.add(e.deviceId);
      const watchedFixes = gnssWatched.size ? live.filter((f) => gnssWatched.has(f.deviceId)) : [];
      if (events.length || statuses.length || watchedFixes.length) {
        intents.push(...(await this.evaluateDeviceEpisodes(client, freshEvents, statuses, watchedFixes, devices)));
      }
      await enqueueAlertIntents(client, intents);
      let unassignedCount = 0;
      for (const u of unassigned.values()) unassignedCount += u.count;
      return { stored: newFixes.length, duplicates: fixes.length - newFixes.length, unassigned: unassignedCount, eventsStored: eventsStored.size, intents };
    });
  }

  /** A tag published fixes while fitted on nobody: counted on the device, for the registry to show. */
  private async flagUnassigned(client: pg.PoolClient, unassigned: Map<string, { count: number; newest: number }>): Promise<void> {
    const ids = [...unassigned.keys()].sort();
    await client.query(
      `update devices d set unassigned_fixes = d.unassigned_fixes + u.n, unassigned_fix_at = greatest(d.unassigned_fix_at, to_timestamp(u.t / 1000.0))
         from unnest($1::text[], $2::int8[], $3::float8[]) as u(id, n, t) where d.id = u.id`,
      [ids, ids.map((id) => unassigned.get(id)!.count), ids.map((id) => unassigned.get(id)!.newest)],
    );
  }

  /**
   * Late fixes of an ended assignment (the tag came off the client, or was swapped, before they
   * arrived): judged like any late data, against that client's context, over the stored track of
   * that fitting only, with the rule states kept for it at removal. An episode still open at the
   * removal closes there: the tag stopped supervising that client then. No reporting commands:
   * the tag is elsewhere now.
   */
  private async evaluatePast(client: pg.PoolClient, groups: { deviceId: string; span: AssignmentSpan & { to: number }; fixes: Fix[] }[]): Promise<AlertIntent[]> {
    const intents: AlertIntent[] = [];
    groups.sort((a, b) => a.deviceId.localeCompare(b.deviceId) || (a.span.id ?? '').localeCompare(b.span.id ?? ''));
    for (const { deviceId, span, fixes } of groups) {
      if (!span.context || !span.id) continue;
      const prefix = pastRulePrefix(span.id);
      const { rows } = await client.query<{ rule_id: string; state: RuleState }>(
        `select rule_id, state from rule_state where device_id = $1 and starts_with(rule_id, $2) and rule_id <> $2 || 'device' for update`,
        [deviceId, prefix],
      );
      const states = new Map(rows.map((r) => [r.rule_id.slice(prefix.length), r.state]));
      const horizon = span.to - 1;
      const window = lateWindow(fixes, horizon, this.detection)!;
      const track = await this.storedTrack(client, deviceId, { from: Math.max(window.from, span.from), to: horizon });
      const r = detectDevice({ engine: this.engine, ctx: span.context, deviceId, states, fresh: fixes, horizon, track }, this.detection);
      intents.push(...r.intents.filter((i) => i.kind === 'open' || i.kind === 'close' || i.kind === 'amend'));
      for (const [ruleId, st] of states) {
        if (!st.openKey) continue;
        intents.push({ kind: 'close', episodeKey: st.openKey, at: span.to });
        const openKey = st.openKey;
        states.set(ruleId, { ...st, openKey: null, marks: (st.marks ?? []).map((m) => (m.key === openKey ? { ...m, end: span.to } : m)) });
        r.changed.add(ruleId);
      }
      if (r.changed.size) {
        const changed = [...r.changed];
        await client.query(
          `insert into rule_state (device_id, rule_id, state) select $1, r, s from unnest($2::text[], $3::jsonb[]) as u(r, s)
           on conflict (device_id, rule_id) do update set state = excluded.state, updated_at = now()`,
          [deviceId, changed.map((id) => prefix + id), changed.map((id) => JSON.stringify(states.get(id)))],
        );
      }
    }
    return intents;
  }

  /**
   * One statement per batch for the devices it touches: locks their rows (in id order, so that
   * concurrent ingest processes serialise per device and cannot deadlock), records last contact,
   * moves last_fix_at to the newest new fix, and returns the previous last_fix_at: the horizon
   * before which a fix is late (re-examined with the stored track, device-detector.ts).
   */
  private async touchDevices(
    client: pg.PoolClient,
    fixes: Fix[],
    events: DeviceEvent[],
    newFixes: Fix[],
  ): Promise<{ horizon: Map<string, number | null>; silenceEnded: AlertIntent[]; gnssWatched: Set<string> }> {
    const newest = new Map<string, number>();
    for (const f of newFixes) if (f.deviceTime > (newest.get(f.deviceId) ?? -Infinity)) newest.set(f.deviceId, f.deviceTime);
    const seen = [...new Set([...fixes, ...events].map((f) => f.deviceId))].sort();
    if (seen.length === 0) return { horizon: new Map(), silenceEnded: [], gnssWatched: new Set() };
    // greatest() ignores nulls: devices that sent only events or duplicates keep their last_fix_at.
    const { rows } = await client.query<{ id: string; t: string | null; seen: string | null; interval_s: number; gnss_watched: boolean }>(
      `with old as (select id, last_fix_at, coalesce(last_seen_at, created_at) as last_contact from devices where id = any($1) order by id for update)
       update devices d set last_seen_at = now(), last_fix_at = greatest(d.last_fix_at, to_timestamp(v.ms / 1000.0))
         from unnest($1::text[], $2::float8[]) as v(id, ms), old
        where d.id = v.id and old.id = v.id
       returning d.id, round(extract(epoch from old.last_fix_at) * 1000)::int8 as t,
                 round(extract(epoch from old.last_contact) * 1000)::int8 as seen, d.report_interval_s as interval_s,
                 d.gnss_lost_at is not null as gnss_watched`,
      [textArrayLiteral(seen), numberArrayLiteral(seen.map((id) => newest.get(id) ?? null))],
    );
    // A device heard from after a silence long enough for the watchdog to have raised an alert:
    // close that episode (its key is the silence's start: the previous last contact, or the
    // fitting of a tag never heard from, as the watchdog computes it).
    const now = Date.now();
    const silenceEnded: AlertIntent[] = [];
    for (const r of rows) {
      if (r.seen === null) continue;
      const last = Number(r.seen);
      if (now - last > silenceThresholdMs(r.interval_s, this.silence)) {
        silenceEnded.push({ kind: 'close', episodeKey: episodeKey(r.id, 'silence', last), at: now, ifExists: true });
      }
    }
    return {
      horizon: new Map(rows.map((r) => [r.id, r.t === null ? null : Number(r.t)])),
      silenceEnded,
      gnssWatched: new Set(rows.filter((r) => r.gnss_watched).map((r) => r.id)),
    };
  }

  /** Stores events idempotently; returns the keys (device|time|seq) of those stored for the first time. */
  private async writeEvents(client: pg.PoolClient, events: DeviceEvent[]): Promise<Set<string>> {
    const res = await client.query<{ device_id: string; t: string; seq: string }>(
      `insert into device_events (device_id, device_time, seq, type, data)
       select d, to_timestamp(t / 1000.0), s, ty, da
         from unnest($1::text[], $2::float8[], $3::int8[], $4::text[], $5::jsonb[]) as u(d, t, s, ty, da)
       on conflict do nothing
       returning device_id, round(extract(epoch from device_time) * 1000)::int8 as t, seq`,
      [events.map((e) => e.deviceId), events.map((e) => e.deviceTime), events.map((e) => e.seq), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
    );
    // The newest battery report per device becomes the device's battery level (device time decides,
    // so a late store-and-forward report cannot overwrite a newer one).
    const battery = events.filter((e) => e.type === 'battery' && typeof e.data.level === 'number');
    if (battery.length) {
      await client.query(
        `update devices d set battery_level = b.level, battery_at = b.t
           from (select distinct on (id) id, level, to_timestamp(t / 1000.0) as t
                   from unnest($1::text[], $2::int2[], $3::float8[]) as u(id, level, t) order by id, t desc) b
          where d.id = b.id and (d.battery_at is null or d.battery_at < b.t)`,
        [battery.map((e) => e.deviceId), battery.map((e) => e.data.level), battery.map((e) => e.deviceTime)],
      );
    }
    return new Set(res.rows.map((r) => `${r.device_id}|${r.t}|${r.seq}`));
  }

  /**
   * Tamper, battery and connection episodes (alerts/device-episodes.ts), one state row per device
   * (rule 'device'). Only devices fitted to a client raise alerts: a tag on the shelf has nobody
   * to supervise.
   */
  private async evaluateDeviceEpisodes(
    client: pg.PoolClient,
    events: DeviceEvent[],
    statuses: DeviceConnectionStatus[],
    watchedFixes: Fix[],
    devices: Map<string, DeviceEntry | null>,
  ): Promise<AlertIntent[]> {
    const ids = [...new Set([...events.map((e) => e.deviceId), ...statuses.map((x) => x.deviceId), ...watchedFixes.map((f) => f.deviceId)])]
      .filter((id) => devices.get(id)?.clientId)
      .sort();
    if (ids.length === 0) return [];
    const { rows } = await client.query<{ device_id: string; state: DeviceEpisodeState }>(
      `select device_id, state from rule_state where device_id = any($1) and rule_id = 'device' order by device_id for update`,
      [ids],
    );
    const states = new Map(rows.map((r) => [r.device_id, r.state]));
    const intents: AlertIntent[] = [];
    const now = Date.now();
    const changed: [string, DeviceEpisodeState][] = [];
    const gnss: { id: string; lostAt: number | null }[] = [];
    for (const id of ids) {
      const clientId = devices.get(id)!.clientId!;
      let state = states.get(id) ?? initialDeviceEpisodeState();
      const transitions: DeviceTransition[] = [];
      const own = events.filter((e) => e.deviceId === id);
      if (own.length) {
        const r = stepDeviceEvents(state, id, own);
        state = r.state;
        transitions.push(...r.transitions);
      }
      const ownFixes = watchedFixes.filter((f) => f.deviceId === id);
      if (own.length || ownFixes.length) {
        const before = state.noLocation ?? initialNoLocationState();
        const items: NoLocationItem[] = [...ownFixes.map((fix) => ({ kind: 'fix' as const, fix }))];
        for (const event of own) items.push({ kind: 'event', event, moving: event.type === 'gps_lost' && (await this.lossToWatch(client, event)) });
        const r = stepNoLocation(before, id, items, this.noLocation);
        state = { ...state, noLocation: r.state };
        for (const t of r.transitions) transitions.push(t.kind === 'open' ? { ...t, type: 'no_location' } : t);
        if (r.state.lostAt !== before.lostAt) gnss.push({ id, lostAt: r.state.lostAt });
      }
      for (const st of statuses.filter((x) => x.deviceId === id)) {
        const r = stepDeviceStatus(state, st, now);
        state = r.state;
        transitions.push(...r.transitions);
      }
      for (const t of transitions) {
        intents.push(
          t.kind === 'open'
            ? { kind: 'open', episodeKey: t.episodeKey, clientId, deviceId: id, type: t.type, severity: ALERT_CATALOGUE[t.type].severity, at: t.at, lon: null, lat: null, details: t.details }
            : { kind: 'close', episodeKey: t.episodeKey, at: t.at },
        );
      }
      changed.push([id, state]);
    }
    await client.query(
      `insert into rule_state (device_id, rule_id, state) select d, 'device', s from unnest($1::text[], $2::jsonb[]) as u(d, s)
       on conflict (device_id, rule_id) do update set state = excluded.state, updated_at = now()`,
      [changed.map((c) => c[0]), changed.map((c) => JSON.stringify(c[1]))],
    );
    if (gnss.length) {
      await client.query(
        `update devices d set gnss_lost_at = to_timestamp(g.t / 1000.0) from unnest($1::text[], $2::float8[]) as g(id, t) where d.id = g.id`,
        [gnss.map((g) => g.id), gnss.map((g) => g.lostAt)],
      );
    }
    return intents;
  }

  /**
   * Whether a GNSS loss starts a no-location watch: the wearer was moving (the tag's own
   * accelerometer flag if it sent one, else the GNSS fixes of the minute before the loss, see
   * movingBefore), and no usable fix after the loss is stored already (a store-and-forward upload may
   * deliver the fixes before the event). Runs only for gps_lost events, rare next to fixes.
   */
  private async lossToWatch(client: pg.PoolClient, event: DeviceEvent): Promise<boolean> {
    const located = await client.query(
      // A second of margin: a tag may stamp its last GNSS fix in the same tick as the loss.
      `select 1 from positions where device_id = $1 and device_time > to_timestamp($2 / 1000.0) + interval '1 second' and accuracy_m <= $3 limit 1`,
      [event.deviceId, event.deviceTime, this.noLocation.goodAccuracyM],
    );
    if (located.rowCount) return false;
    if (typeof event.data.moving === 'boolean') return event.data.moving;
    // the GNSS fixes of the ten minutes before the loss, newest first (a 1 Hz track: at most the
    // last few minutes' worth, enough for movingBefore's one-minute baseline)
    const { rows } = await client.query<{ t: string; lon: number; lat: number; accuracy_m: number }>(
      `select round(extract(epoch from device_time) * 1000)::int8 as t, lon, lat, accuracy_m from positions
        where device_id = $1 and source = 'gps'
          and device_time <= to_timestamp($2 / 1000.0) and device_time > to_timestamp($2 / 1000.0) - interval '10 minutes'
        order by device_time desc limit 120`,
      [event.deviceId, event.deviceTime],
    );
    const fixes = rows.map((r) => ({ deviceTime: Number(r.t), lon: r.lon, lat: r.lat, accuracyM: r.accuracy_m }));
    return movingBefore(fixes, this.noLocation.movingSpeedMps);
  }

  private async writeStatuses(client: pg.PoolClient, statuses: DeviceConnectionStatus[]): Promise<void> {
    // Within one batch the last status of a device wins: statuses arrive in broker order.
    const last = new Map(statuses.map((s) => [s.deviceId, s]));
    const list = [...last.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    await client.query(
      `update devices d set online = s.online, status_at = now(), firmware = coalesce(s.fw, d.firmware)
         from unnest($1::text[], $2::bool[], $3::text[]) as s(id, online, fw) where d.id = s.id`,
      [list.map((s) => s.deviceId), list.map((s) => s.online), list.map((s) => s.firmware)],
    );
  }

  /**
   * Runs the detection (device-detector.ts) for each device's new fixes; returns the intents.
   * `horizon` is each device's last_fix_at before this batch (the rows are locked by touchDevices).
   */
  private async evaluate(
    client: pg.PoolClient,
    fixes: Fix[],
    devices: Map<string, DeviceEntry | null>,
    horizon: Map<string, number | null>,
  ): Promise<AlertIntent[]> {
    const byDevice = new Map<string, Fix[]>();
    for (const f of fixes) {
      if (!devices.get(f.deviceId)?.context) continue;
      const list = byDevice.get(f.deviceId);
      if (list) list.push(f);
      else byDevice.set(f.deviceId, [f]);
    }
    if (byDevice.size === 0) return [];
    const ids = [...byDevice.keys()].sort();
    const rows = await client.query<{ device_id: string; rule_id: string; state: RuleState }>(
      `select device_id, rule_id, state from rule_state where device_id = any($1::text[]) and rule_id <> 'device' and not starts_with(rule_id, 'a:')`,
      [textArrayLiteral(ids)],
    );
    const states = new Map<string, Map<string, RuleState>>();
    for (const r of rows.rows) {
      const m = states.get(r.device_id) ?? new Map<string, RuleState>();
      m.set(r.rule_id, r.state);
      states.set(r.device_id, m);
    }
    const dirty: [string, string, RuleState][] = [];
    const intents: AlertIntent[] = [];
    for (const deviceId of ids) {
      const fresh = byDevice.get(deviceId)!;
      const own = states.get(deviceId) ?? new Map<string, RuleState>();
      const window = lateWindow(fresh, horizon.get(deviceId) ?? null, this.detection);
      // Only this fitting's track: the tag's fixes from before it belong to nobody or to another client.
      const since = devices.get(deviceId)!.assignments.current?.from ?? Number.NEGATIVE_INFINITY;
      const track = window ? await this.storedTrack(client, deviceId, { from: Math.max(window.from, since), to: window.to }) : [];
      const r = detectDevice(
        { engine: this.engine, ctx: devices.get(deviceId)!.context!, deviceId, states: own, fresh, horizon: horizon.get(deviceId) ?? null, track },
        this.detection,
      );
      intents.push(...r.intents);
      for (const ruleId of r.changed) dirty.push([deviceId, ruleId, own.get(ruleId)!]);
    }
    if (dirty.length) {
      await client.query(
        `insert into rule_state (device_id, rule_id, state)
         select * from unnest($1::text[], $2::text[], $3::jsonb[])
         on conflict (device_id, rule_id) do update set state = excluded.state, updated_at = now()`,
        [dirty.map((d) => d[0]), dirty.map((d) => d[1]), dirty.map((d) => JSON.stringify(d[2]))],
      );
    }
    return intents;
  }

  /**
   * The stored fixes of a device over a late window (this batch's late fixes included: they were
   * inserted in this transaction). Bounded: a 1 Hz tag's half hour either side is a few thousand.
   */
  private async storedTrack(client: pg.PoolClient, deviceId: string, w: { from: number; to: number }): Promise<Fix[]> {
    const { rows } = await client.query<{ t: string; seq: string; lon: number; lat: number; accuracy_m: number; source: Fix['source'] }>(
      `select round(extract(epoch from device_time) * 1000)::int8 as t, seq, lon, lat, accuracy_m, source from positions
        where device_id = $1 and device_time >= to_timestamp($2 / 1000.0) and device_time <= to_timestamp($3 / 1000.0)
        order by device_time, seq limit $4`,
      [deviceId, w.from, w.to, LATE_TRACK_LIMIT],
    );
    return rows.map((r) => ({ deviceId, seq: Number(r.seq), deviceTime: Number(r.t), lon: r.lon, lat: r.lat, accuracyM: r.accuracy_m, source: r.source }));
  }
}
