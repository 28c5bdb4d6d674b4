import { Compile } from 'typebox/compile';
import type { DeviceEvent, DeviceConnectionStatus, Fix } from '../infra/domain/types.ts';
import { EventBatchPayload, FixBatchPayload, StatusPayload, type RejectionReason } from './protocol.ts';

const fixChecker = Compile(FixBatchPayload);
const eventChecker = Compile(EventBatchPayload);
const statusChecker = Compile(StatusPayload);

export interface ValidationLimits {
  maxPayloadBytes: number;
  /** Allowed clock skew into the future, ms. */
  maxFutureMs: number;
  /** Oldest acceptable device time relative to now, ms (the retention window). */
  maxAgeMs: number;
}

export type Rejection = { ok: false; reason: RejectionReason; message: string };
export type Validated<T> = { ok: true; value: T } | Rejection;

const reject = (reason: RejectionReason, message: string): Rejection => ({ ok: false, reason, message });

type Checker = { Check(v: unknown): boolean; Errors(v: unknown): { instancePath: string; message: string }[] };

/** Size, JSON and schema checks shared by every uplink message. */
function parse<T>(checker: Checker, payload: Uint8Array, limits: ValidationLimits, listKey?: string): Validated<T> {
  if (payload.byteLength > limits.maxPayloadBytes) {
    return reject('oversized', `payload of ${payload.byteLength} bytes exceeds ${limits.maxPayloadBytes}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (err) {
    return reject('malformed_json', `not JSON: ${(err as Error).message}`);
  }
  if (!checker.Check(data)) {
    const first = checker.Errors(data)[0];
    const where = first?.instancePath || '/';
    // Out-of-range coordinates are common enough (and dangerous enough) to count on their own.
    const coord = listKey ? new RegExp(`^/${listKey}/(\\d+)/(lat|lon)$`).exec(where) : null;
    const list = data !== null && typeof data === 'object' ? (data as Record<string, Record<string, unknown>[] | undefined>)[listKey ?? ''] : undefined;
    if (coord && Array.isArray(list) && typeof list[Number(coord[1])]?.[coord[2]!] === 'number') {
      return reject('coordinates_out_of_range', `${where} ${first?.message ?? 'is out of range'}`);
    }
    return reject('schema', `${where} ${first?.message ?? 'is invalid'}`);
  }
  return { ok: true, value: data as T };
}

/** parse(), then the rule every batch shares: the payload's device is the topic's device. */
function parseForDevice<T extends { device: string }>(checker: Checker, topicDeviceId: string, payload: Uint8Array, limits: ValidationLimits, listKey?: string): Validated<T> {
  const parsed = parse<T>(checker, payload, limits, listKey);
  if (parsed.ok && parsed.value.device !== topicDeviceId) {
    return reject('device_mismatch', `payload device "${parsed.value.device}" differs from topic device "${topicDeviceId}"`);
  }
  return parsed;
}

/** Device-time checks: not in the future beyond skew, not older than retention. */
function checkTime(t: number, where: string, now: number, limits: ValidationLimits): Rejection | null {
  if (t > now + limits.maxFutureMs) return reject('future_time', `${where}/t is ${t - now} ms in the future`);
  if (t < now - limits.maxAgeMs) return reject('too_old', `${where}/t is older than the retention window`);
  return null;
}

/**
 * Checks one uplink message of fixes. Pure: `now` is passed in. The whole message is rejected on
 * any bad fix, because a tag resends a batch as a unit and a half-accepted batch would be
 * impossible to reason about in the evidence chain.
 */
export function validateFixBatch(topicDeviceId: string, payload: Uint8Array, now: number, limits: ValidationLimits): Validated<Fix[]> {
  const parsed = parseForDevice<FixBatchPayload>(fixChecker, topicDeviceId, payload, limits, 'fixes');
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  const fixes: Fix[] = new Array(data.fixes.length);
  for (let i = 0; i < data.fixes.length; i++) {
    const f = data.fixes[i]!;
    // JSON cannot carry NaN, but a huge exponent can overflow to Infinity.
    if (!Number.isFinite(f.lon) || !Number.isFinite(f.lat)) return reject('coordinates_out_of_range', `/fixes/${i} has a non-finite coordinate`);
    const late = checkTime(f.t, `/fixes/${i}`, now, limits);
    if (late) return late;
    fixes[i] = { deviceId: data.device, seq: f.seq, deviceTime: f.t, lon: f.lon, lat: f.lat, accuracyM: f.acc, source: f.src };
  }
  return { ok: true, value: fixes };
}

/** Checks one uplink message of device events, with the same rules as fixes. */
export function validateEventBatch(topicDeviceId: string, payload: Uint8Array, now: number, limits: ValidationLimits): Validated<DeviceEvent[]> {
  const parsed = parseForDevice<EventBatchPayload>(eventChecker, topicDeviceId, payload, limits);
  if (!parsed.ok) return parsed;
  const data = parsed.value;
  const events: DeviceEvent[] = new Array(data.events.length);
  for (let i = 0; i < data.events.length; i++) {
    const { seq, t, type, ...rest } = data.events[i]!;
    const late = checkTime(t, `/events/${i}`, now, limits);
    if (late) return late;
    events[i] = { deviceId: data.device, seq, deviceTime: t, type, data: rest };
  }
  return { ok: true, value: events };
}

/** Checks a status message (online announcement or last will). */
export function validateStatus(topicDeviceId: string, payload: Uint8Array, limits: ValidationLimits): Validated<DeviceConnectionStatus> {
  const parsed = parse<StatusPayload>(statusChecker, payload, limits);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  return { ok: true, value: { deviceId: topicDeviceId, online: s.online, firmware: s.fw ?? null, intervalS: s.interval_s ?? null } };
}
