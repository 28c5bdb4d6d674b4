import type pg from 'pg';
import {
  initialEpisodeState,
  stepEpisode,
  type EpisodeSettings,
  type EpisodeState,
  type GeofenceEngine,
  type RuleKind,
} from '../geofence/index.ts';
import { episodeKey, type AlertIntent } from '../alerts/alert-intent.ts';
import type { Fix } from '../infra/domain/types.ts';
import type { DeviceEntry } from './device-registry.ts';

/** What geofence_state.state holds for one device and rule. */
interface RuleState {
  episode: EpisodeState;
  /** The alert episode currently open for this rule, if any. */
  openKey: string | null;
}

export interface WriteResult {
  stored: number;
  duplicates: number;
  intents: AlertIntent[];
}

const DEADLOCK = '40P01';
const SERIALIZATION = '40001';

/**
 * Stores a batch of validated fixes and everything they cause, atomically: positions (idempotent on
 * device, device time and sequence), the geofence hysteresis state, and alert intents in the outbox.
 * Only fixes that were not stored before are evaluated, so a redelivered message changes nothing.
 */
export class FixStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly engine: GeofenceEngine,
    private readonly settings: Record<RuleKind, EpisodeSettings>,
  ) {}

  async write(fixes: Fix[], devices: Map<string, DeviceEntry | null>): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(fixes, devices);
      } catch (err) {
        const code = (err as { code?: string }).code;
        // Two ingest processes may lock the same devices' state rows; the loser retries.
        if ((code === DEADLOCK || code === SERIALIZATION) && attempt < 5) continue;
        throw err;
      }
    }
  }

  private async writeOnce(fixes: Fix[], devices: Map<string, DeviceEntry | null>): Promise<WriteResult> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const inserted = await client.query<{ device_id: string; t: string; seq: string }>(
        `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
         select d, to_timestamp(t / 1000.0), s, c, lo, la, a, src
           from unnest($1::text[], $2::float8[], $3::int8[], $4::uuid[], $5::float8[], $6::float8[], $7::float4[], $8::text[])
                as u(d, t, s, c, lo, la, a, src)
         on conflict do nothing
         returning device_id, round(extract(epoch from device_time) * 1000)::int8 as t, seq`,
        [
          fixes.map((f) => f.deviceId),
          fixes.map((f) => f.deviceTime),
          fixes.map((f) => f.seq),
          fixes.map((f) => devices.get(f.deviceId)?.clientId ?? null),
          fixes.map((f) => f.lon),
          fixes.map((f) => f.lat),
          fixes.map((f) => f.accuracyM),
          fixes.map((f) => f.source),
        ],
      );
      const fresh = new Set(inserted.rows.map((r) => `${r.device_id}|${r.t}|${r.seq}`));
      const newFixes = fixes.filter((f) => fresh.delete(`${f.deviceId}|${f.deviceTime}|${f.seq}`));
      const intents = await this.evaluate(client, newFixes, devices);
      if (intents.length) {
        await client.query(`insert into outbox (kind, payload) select 'alert-intent', p from unnest($1::jsonb[]) as p`, [
          intents.map((i) => JSON.stringify(i)),
        ]);
        // Wakes the outbox relay at commit instead of at its next poll.
        await client.query(`select pg_notify('outbox', '')`);
      }
      const seen = [...new Set(fixes.map((f) => f.deviceId))];
      await client.query('update devices set last_seen_at = now() where id = any($1)', [seen]);
      await client.query('commit');
      return { stored: newFixes.length, duplicates: fixes.length - newFixes.length, intents };
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Steps every rule's hysteresis for each new fix in device-time order; returns the transitions. */
  private async evaluate(client: pg.PoolClient, fixes: Fix[], devices: Map<string, DeviceEntry | null>): Promise<AlertIntent[]> {
    const byDevice = new Map<string, Fix[]>();
    for (const f of fixes) {
      if (!devices.get(f.deviceId)?.context) continue;
      const list = byDevice.get(f.deviceId);
      if (list) list.push(f);
      else byDevice.set(f.deviceId, [f]);
    }
    if (byDevice.size === 0) return [];
    const ids = [...byDevice.keys()].sort();
    // Locked in a fixed order so that concurrent ingest processes cannot deadlock on each other.
    const rows = await client.query<{ device_id: string; rule_id: string; state: RuleState }>(
      'select device_id, rule_id, state from geofence_state where device_id = any($1) order by device_id, rule_id for update',
      [ids],
    );
    const states = new Map(rows.rows.map((r) => [`${r.device_id}|${r.rule_id}`, r.state]));
    const changed = new Map<string, RuleState>();
    const intents: AlertIntent[] = [];
    for (const deviceId of ids) {
      const ctx = devices.get(deviceId)!.context!;
      const list = byDevice.get(deviceId)!.sort((a, b) => a.deviceTime - b.deviceTime || a.seq - b.seq);
      for (const fix of list) {
        const { verdicts } = this.engine.evaluate(ctx, fix);
        for (const v of verdicts) {
          const key = `${deviceId}|${v.ruleId}`;
          const prev = changed.get(key) ?? states.get(key) ?? { episode: initialEpisodeState(), openKey: null };
          const { state, transition } = stepEpisode(prev.episode, v, fix, this.settings[v.rule]);
          let openKey = prev.openKey;
          if (transition?.kind === 'opened') {
            openKey = episodeKey(deviceId, v.ruleId, transition.at);
            intents.push({
              kind: 'open',
              episodeKey: openKey,
              clientId: ctx.clientId,
              deviceId,
              type: v.alertType,
              severity: v.severity,
              at: transition.at,
              lon: fix.lon,
              lat: fix.lat,
              details: { rule: v.rule, ruleId: v.ruleId, articles: v.articles, distanceM: v.distanceM, accuracyM: fix.accuracyM },
            });
          } else if (transition?.kind === 'closed' && openKey) {
            intents.push({ kind: 'close', episodeKey: openKey, at: transition.at });
            openKey = null;
          }
          changed.set(key, { episode: state, openKey });
        }
      }
    }
    if (changed.size) {
      const keys = [...changed.keys()];
      await client.query(
        `insert into geofence_state (device_id, rule_id, state)
         select * from unnest($1::text[], $2::text[], $3::jsonb[])
         on conflict (device_id, rule_id) do update set state = excluded.state, updated_at = now()`,
        [keys.map((k) => k.split('|')[0]), keys.map((k) => k.slice(k.indexOf('|') + 1)), keys.map((k) => JSON.stringify(changed.get(k)))],
      );
    }
    return intents;
  }
}
