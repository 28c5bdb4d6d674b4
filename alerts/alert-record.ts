import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Alert } from '../infra/domain/types.ts';

/** An alert as the API and the live stream show it: the domain alert plus its workflow fields. */
export interface AlertRecord extends Alert {
  createdAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  outcome: string | null;
  escalatedAt: number | null;
}

export const ALERT_COLUMNS = `id, episode_key, client_id, device_id, type, severity, status, opened_at, closed_at, lon, lat, details,
  created_at, acknowledged_at, resolved_at, outcome, escalated_at`;

const ms = (d: unknown): number | null => (d instanceof Date ? d.getTime() : null);

export function rowToAlert(r: Record<string, unknown>): AlertRecord {
  return {
    id: r.id as string,
    episodeKey: r.episode_key as string,
    clientId: r.client_id as string,
    deviceId: (r.device_id as string | null) ?? null,
    type: r.type as Alert['type'],
    severity: r.severity as Alert['severity'],
    status: r.status as Alert['status'],
    openedAt: ms(r.opened_at)!,
    closedAt: ms(r.closed_at),
    lon: (r.lon as number | null) ?? null,
    lat: (r.lat as number | null) ?? null,
    details: (r.details as Record<string, unknown>) ?? {},
    createdAt: ms(r.created_at)!,
    acknowledgedAt: ms(r.acknowledged_at),
    resolvedAt: ms(r.resolved_at),
    outcome: (r.outcome as string | null) ?? null,
    escalatedAt: ms(r.escalated_at),
  };
}

/** Redis pub/sub channel on which raised and updated alerts are pushed to dashboards. */
export const liveChannel = (prefix: string) => `${prefix}:alerts:live`;

export interface LiveAlertMessage {
  event: 'alert.raised' | 'alert.updated' | 'alert.escalated';
  alert: AlertRecord;
  /** The client's district office, so that each dashboard shows its user only their district's. */
  districtId: string;
}

/** A travel request's decision deadline nearing or passed (alerts/case-deadline-watchdog.ts). */
export interface LiveTravelRequestMessage {
  event: 'travel_request.deadline_near' | 'travel_request.deadline_breached';
  travelRequest: { id: string; clientId: string; decideBy: number; submittedAt: number };
  districtId: string;
}

/** Everything pushed on the live channel. */
export type LiveMessage = LiveAlertMessage | LiveTravelRequestMessage;

/** Pushes an alert event to every dashboard (Redis pub/sub, fanned out over SSE). */
export async function publishLive(db: pg.Pool | pg.PoolClient, redis: Redis, prefix: string, event: LiveAlertMessage['event'], alert: AlertRecord): Promise<void> {
  const { rows } = await db.query<{ district_id: string }>('select district_id from clients where id = $1', [alert.clientId]);
  const msg: LiveAlertMessage = { event, alert, districtId: rows[0]?.district_id ?? '' };
  await redis.publish(liveChannel(prefix), JSON.stringify(msg));
}
