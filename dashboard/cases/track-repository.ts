import type pg from 'pg';

export interface TrackFix {
  deviceId: string;
  seq: number;
  deviceTime: number;
  lon: number;
  lat: number;
  accuracyM: number;
  source: string;
}
export interface TrackEvent {
  deviceId: string;
  seq: number;
  deviceTime: number;
  type: string;
  data: Record<string, unknown>;
}
export interface TrackCommand {
  deviceId: string;
  sentAt: number;
  command: Record<string, unknown>;
  reason: string;
}
export interface Track {
  fixes: TrackFix[];
  events: TrackEvent[];
  /** Downlink commands to the client's tags in the period (by the time they were sent). */
  commands: TrackCommand[];
  /** True when more fixes or events exist in the period than `limit`. */
  truncated: boolean;
}

/** Every tag the client has worn: the evidence chain, and the current tag of one fitted before it. */
export const CLIENT_DEVICES = 'select device_id from device_assignments where client_id = $1 union select id from devices where client_id = $1';

/** A row of the fixes query, as node-postgres returns it. */
export interface FixRow { device_id: string; seq: string; device_time: Date; lon: number; lat: number; accuracy_m: number; source: string }

export function rowToFix(r: FixRow): TrackFix {
  return { deviceId: r.device_id, seq: Number(r.seq), deviceTime: r.device_time.getTime(), lon: r.lon, lat: r.lat, accuracyM: r.accuracy_m, source: r.source };
}

/**
 * A client's fixes between `from` and `to` (device time, epoch ms) in time order: the one query
 * behind a track read (with a limit) and a track export (streamed through a cursor, no limit).
 */
export function fixesQuery(clientId: string, from: number, to: number): { text: string; values: unknown[] } {
  return {
    // By the client's tags (a handful) on the primary key, which includes every column read here
    // (migration 0028): an index-only scan of a few leaf pages per tag and day, not a heap page per
    // fix. client_id filters on the included column (a tag worn by two clients in turn).
    text: `select device_id, seq, device_time, lon, lat, accuracy_m, source from positions
            where device_id = any(array(${CLIENT_DEVICES}))
              and client_id = $1 and device_time >= to_timestamp($2 / 1000.0) and device_time < to_timestamp($3 / 1000.0)
            order by device_time, device_id, seq`,
    values: [clientId, from, to],
  };
}

/**
 * A client's fixes and device events between `from` and `to` (device time, epoch ms). Fixes carry
 * the client they were stored for; events only a device, so they are taken from the devices the
 * evidence chain shows on this client at the time (or, for a tag fitted before the chain was
 * recorded, the client's current tag).
 */
export async function readTrack(db: pg.Pool | pg.PoolClient, clientId: string, from: number, to: number, limit: number): Promise<Track> {
  const q = fixesQuery(clientId, from, to);
  const fixes = await db.query<FixRow>(`${q.text} limit $4`, [...q.values, limit + 1]);
  const events = await db.query<{ device_id: string; seq: string; device_time: Date; type: string; data: Record<string, unknown> }>(
    // The client's tags first (a handful), so the scan is by device and time on the events'
    // primary key, not over every device's events of the period.
    `select e.device_id, e.seq, e.device_time, e.type, e.data from device_events e
      where e.device_id in (${CLIENT_DEVICES})
        and e.device_time >= to_timestamp($2 / 1000.0) and e.device_time < to_timestamp($3 / 1000.0)
        and (exists (select 1 from device_assignments a
                      where a.device_id = e.device_id and a.client_id = $1 and a.fitted_at <= e.device_time
                        and (a.removed_at is null or a.removed_at > e.device_time))
             or exists (select 1 from devices d where d.id = e.device_id and d.client_id = $1
                          and not exists (select 1 from device_assignments a2 where a2.device_id = d.id)))
      order by e.device_time, e.device_id, e.seq limit $4`,
    [clientId, from, to, limit + 1],
  );
  const commands = await db.query<{ device_id: string; sent_at: Date; command: Record<string, unknown>; reason: string }>(
    `select c.device_id, c.sent_at, c.command, c.reason from device_commands c
      where c.device_id in (${CLIENT_DEVICES})
        and c.sent_at >= to_timestamp($2 / 1000.0) and c.sent_at < to_timestamp($3 / 1000.0)
      order by c.sent_at limit $4`,
    [clientId, from, to, limit],
  );
  return {
    commands: commands.rows.map((r) => ({ deviceId: r.device_id, sentAt: r.sent_at.getTime(), command: r.command, reason: r.reason })),
    fixes: fixes.rows.slice(0, limit).map(rowToFix),
    events: events.rows.slice(0, limit).map((r) => ({ deviceId: r.device_id, seq: Number(r.seq), deviceTime: r.device_time.getTime(), type: r.type, data: r.data })),
    truncated: fixes.rows.length > limit || events.rows.length > limit,
  };
}
