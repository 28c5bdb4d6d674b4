import { Compile } from 'typebox/compile';
import type { Fix } from '../infra/domain/types.ts';
import { FixBatchPayload, type RejectionReason } from './protocol.ts';

const checker = Compile(FixBatchPayload);

export interface ValidationLimits {
  maxPayloadBytes: number;
  /** Allowed clock skew into the future, ms. */
  maxFutureMs: number;
  /** Oldest acceptable device time relative to now, ms (the retention window). */
  maxAgeMs: number;
}

export type ValidationResult =
  | { ok: true; fixes: Fix[] }
  | { ok: false; reason: RejectionReason; message: string };

const reject = (reason: RejectionReason, message: string): ValidationResult => ({ ok: false, reason, message });

/**
 * Checks one uplink message of fixes. Pure: `now` is passed in. The whole message is rejected on
 * any bad fix, because a tag resends a batch as a unit and a half-accepted batch would be
 * impossible to reason about in the evidence chain.
 */
export function validateFixBatch(topicDeviceId: string, payload: Uint8Array, now: number, limits: ValidationLimits): ValidationResult {
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
    const coord = /^\/fixes\/(\d+)\/(lat|lon)$/.exec(where);
    if (coord && typeof (data as { fixes?: Record<string, unknown>[] }).fixes?.[Number(coord[1])]?.[coord[2]!] === 'number') {
      return reject('coordinates_out_of_range', `${where} ${first?.message ?? "is out of range"}`);
    }
    return reject('schema', `${where} ${first?.message ?? 'is invalid'}`);
  }
  if (data.device !== topicDeviceId) {
    return reject('device_mismatch', `payload device "${data.device}" differs from topic device "${topicDeviceId}"`);
  }
  const fixes: Fix[] = new Array(data.fixes.length);
  for (let i = 0; i < data.fixes.length; i++) {
    const f = data.fixes[i]!;
    // JSON cannot carry NaN, but a huge exponent can overflow to Infinity.
    if (!Number.isFinite(f.lon) || !Number.isFinite(f.lat)) return reject('coordinates_out_of_range', `/fixes/${i} has a non-finite coordinate`);
    if (f.t > now + limits.maxFutureMs) return reject('future_time', `/fixes/${i}/t is ${f.t - now} ms in the future`);
    if (f.t < now - limits.maxAgeMs) return reject('too_old', `/fixes/${i}/t is older than the retention window`);
    fixes[i] = { deviceId: data.device, seq: f.seq, deviceTime: f.t, lon: f.lon, lat: f.lat, accuracyM: f.acc, source: f.src };
  }
  return { ok: true, fixes };
}
