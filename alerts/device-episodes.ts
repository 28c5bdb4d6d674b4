import type { AlertType, DeviceConnectionStatus, DeviceEvent } from '../infra/domain/types.ts';
import { ALERT_CATALOGUE } from './alert-catalogue.ts';
import { episodeKey } from './alert-intent.ts';
import type { NoLocationState } from './no-location.ts';

/**
 * Episodes raised by what the tag says about itself (tamper, battery, connection), as a pure state
 * machine: ingest persists the state with the events in one transaction.
 *
 * Battery thresholds: low at 20% or less, critical at 10% or less, dead at 0% or a
 * "powering_off: battery_flat". A battery episode ends when the charger is connected or the level
 * is back to 25% or more (5 points of hysteresis so that a level wavering around a threshold
 * raises one alert, not many).
 */
export const BATTERY_LOW = 20;
export const BATTERY_CRITICAL = 10;
export const BATTERY_RECOVERED = 25;

type Stage = 'ok' | 'low' | 'critical' | 'dead';
const STAGE_TYPE: Record<Exclude<Stage, 'ok'>, AlertType> = { low: 'battery_low', critical: 'battery_critical', dead: 'battery_dead' };
const RANK: Record<Stage, number> = { ok: 0, low: 1, critical: 2, dead: 3 };

export interface DeviceEpisodeState {
  version: 1;
  /** Newest event time applied; older events are stored but change nothing. */
  lastEventTime: number | null;
  strapKey: string | null;
  caseKey: string | null;
  battery: Stage;
  batteryKey: string | null;
  offlineKey: string | null;
  /** The no-location watch (alerts/no-location.ts); absent in states stored before it existed. */
  noLocation?: NoLocationState;
}

export const initialDeviceEpisodeState = (): DeviceEpisodeState => ({
  version: 1, lastEventTime: null, strapKey: null, caseKey: null, battery: 'ok', batteryKey: null, offlineKey: null,
});

export type DeviceTransition =
  | { kind: 'open'; type: AlertType; episodeKey: string; at: number; details: Record<string, unknown> }
  | { kind: 'close'; episodeKey: string; at: number };

function stageOf(e: DeviceEvent): Stage | null {
  if (e.type === 'powering_off' && e.data.reason === 'battery_flat') return 'dead';
  if (e.type !== 'battery' || typeof e.data.level !== 'number') return null;
  const level = e.data.level;
  if (level <= 0) return 'dead';
  if (level <= BATTERY_CRITICAL) return 'critical';
  if (level <= BATTERY_LOW) return 'low';
  return 'ok';
}

/** Applies a device's events (any order; sorted here by device time) to its episode state. */
export function stepDeviceEvents(
  state: DeviceEpisodeState,
  deviceId: string,
  events: DeviceEvent[],
): { state: DeviceEpisodeState; transitions: DeviceTransition[] } {
  const s = { ...state };
  const out: DeviceTransition[] = [];
  const open = (type: AlertType, rule: string, at: number, details: Record<string, unknown>) => {
    const key = episodeKey(deviceId, rule, at);
    out.push({ kind: 'open', type, episodeKey: key, at, details: { ...details, selfClearing: ALERT_CATALOGUE[type].selfClearing } });
    return key;
  };
  const sorted = [...events].sort((a, b) => a.deviceTime - b.deviceTime || a.seq - b.seq);
  for (const e of sorted) {
    if (s.lastEventTime !== null && e.deviceTime <= s.lastEventTime) continue;
    s.lastEventTime = e.deviceTime;
    const t = e.deviceTime;
    switch (e.type) {
      // Tamper episodes are never closed here: an operator must note them (ALERT_CATALOGUE).
      case 'strap_opened':
        s.strapKey ??= open('strap_tamper', 'strap', t, { event: e.type });
        break;
      case 'strap_closed':
        s.strapKey = null;
        break;
      case 'case_opened':
        s.caseKey ??= open('case_tamper', 'case', t, { event: e.type });
        break;
      case 'case_closed':
        s.caseKey = null;
        break;
      case 'charger_connected':
        if (s.batteryKey) out.push({ kind: 'close', episodeKey: s.batteryKey, at: t });
        s.battery = 'ok';
        s.batteryKey = null;
        break;
      default: {
        const stage = stageOf(e);
        if (stage === null) break;
        const level = e.data.level;
        if (RANK[stage] > RANK[s.battery]) {
          // A worse stage supersedes the open one: one battery alert at a time, the most severe.
          if (s.batteryKey) out.push({ kind: 'close', episodeKey: s.batteryKey, at: t });
          s.battery = stage;
          s.batteryKey = open(STAGE_TYPE[stage as Exclude<Stage, 'ok'>], 'battery', t, { level: level ?? 0, event: e.type });
        } else if (s.batteryKey && typeof level === 'number' && level >= BATTERY_RECOVERED) {
          out.push({ kind: 'close', episodeKey: s.batteryKey, at: t });
          s.battery = 'ok';
          s.batteryKey = null;
        }
      }
    }
  }
  return { state: s, transitions: out };
}

/** Applies an online/offline status (the offline one is the MQTT last will); `at` is arrival time. */
export function stepDeviceStatus(
  state: DeviceEpisodeState,
  status: DeviceConnectionStatus,
  at: number,
): { state: DeviceEpisodeState; transitions: DeviceTransition[] } {
  if (!status.online && !state.offlineKey) {
    const key = episodeKey(status.deviceId, 'offline', at);
    return { state: { ...state, offlineKey: key }, transitions: [{ kind: 'open', type: 'device_offline', episodeKey: key, at, details: { selfClearing: true } }] };
  }
  if (status.online && state.offlineKey) {
    return { state: { ...state, offlineKey: null }, transitions: [{ kind: 'close', episodeKey: state.offlineKey, at }] };
  }
  return { state, transitions: [] };
}
