import { describe, expect, it } from 'vitest';
import { validateEventBatch, validateFixBatch, validateStatus, type ValidationLimits } from './validate-uplink.ts';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const limits: ValidationLimits = { maxPayloadBytes: 4096, maxFutureMs: 300_000, maxAgeMs: 400 * 86_400_000 };
const fix = (over: Record<string, unknown> = {}) => ({ seq: 1, t: NOW - 1000, lon: 74.59, lat: 42.87, acc: 8, src: 'gps', ...over });
const msg = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
const check = (body: unknown, device = 'TAG001') => validateFixBatch(device, msg(body), NOW, limits);

describe('validateFixBatch', () => {
  it('accepts a well-formed batch and maps it to domain fixes', () => {
    const r = check({ v: 1, device: 'TAG001', fixes: [fix(), fix({ seq: 2, src: 'cell', acc: 400 })] });
    expect(r).toEqual({
      ok: true,
      value: [
        { deviceId: 'TAG001', seq: 1, deviceTime: NOW - 1000, lon: 74.59, lat: 42.87, accuracyM: 8, source: 'gps' },
        { deviceId: 'TAG001', seq: 2, deviceTime: NOW - 1000, lon: 74.59, lat: 42.87, accuracyM: 400, source: 'cell' },
      ],
    });
  });

  it.each([
    ['oversized', 'x'.repeat(5000)],
    ['malformed_json', '{"v":1,'],
    ['schema', { v: 1, device: 'TAG001', fixes: [fix({ lat: '42.8' })] }],
    ['schema', { v: 2, device: 'TAG001', fixes: [fix()] }],
    ['schema', { v: 1, device: 'TAG001', fixes: [] }],
    ['schema', { v: 1, device: 'TAG001', fixes: [fix({ extra: 1 })] }],
    ['schema', { v: 1, device: 'TAG001', fixes: [fix({ src: 'sonar' })] }],
    ['coordinates_out_of_range', { v: 1, device: 'TAG001', fixes: [fix({ lat: 91 })] }],
    ['coordinates_out_of_range', { v: 1, device: 'TAG001', fixes: [fix({ lon: -180.5 })] }],
    ['coordinates_out_of_range', '{"v":1,"device":"TAG001","fixes":[{"seq":1,"t":1795350000000,"lon":1e999,"lat":42,"acc":5,"src":"gps"}]}'],
    ['future_time', { v: 1, device: 'TAG001', fixes: [fix({ t: NOW + 600_000 })] }],
    ['too_old', { v: 1, device: 'TAG001', fixes: [fix({ t: NOW - 401 * 86_400_000 })] }],
    ['device_mismatch', { v: 1, device: 'TAG002', fixes: [fix()] }],
  ])('rejects %s: %j', (reason, body) => {
    const r = check(body);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it('names the offending field in the message', () => {
    const r = check({ v: 1, device: 'TAG001', fixes: [fix(), fix({ acc: -3 })] });
    expect(r).toMatchObject({ ok: false, reason: 'schema' });
    if (!r.ok) expect(r.message).toContain('/fixes/1/acc');
  });

  it('accepts a fix a little in the future (clock skew) but not beyond the allowance', () => {
    expect(check({ v: 1, device: 'TAG001', fixes: [fix({ t: NOW + 299_000 })] }).ok).toBe(true);
    expect(check({ v: 1, device: 'TAG001', fixes: [fix({ t: NOW + 301_000 })] }).ok).toBe(false);
  });
});

describe('validateEventBatch', () => {
  const ev = (over: Record<string, unknown> = {}) => ({ seq: 3, t: NOW - 500, type: 'battery', level: 14, charging: false, ...over });
  const checkEv = (body: unknown, device = 'TAG001') => validateEventBatch(device, msg(body), NOW, limits);

  it('accepts events and keeps their type-specific fields as data', () => {
    expect(checkEv({ v: 1, device: 'TAG001', events: [ev(), { seq: 4, t: NOW - 400, type: 'strap_opened' }] })).toEqual({
      ok: true,
      value: [
        { deviceId: 'TAG001', seq: 3, deviceTime: NOW - 500, type: 'battery', data: { level: 14, charging: false } },
        { deviceId: 'TAG001', seq: 4, deviceTime: NOW - 400, type: 'strap_opened', data: {} },
      ],
    });
  });

  it.each([
    ['schema', { v: 1, device: 'TAG001', events: [ev({ type: 'exploded' })] }],
    ['schema', { v: 1, device: 'TAG001', events: [ev({ level: 140 })] }],
    ['device_mismatch', { v: 1, device: 'TAG009', events: [ev()] }],
    ['future_time', { v: 1, device: 'TAG001', events: [ev({ t: NOW + 3_600_000 })] }],
  ])('rejects %s: %j', (reason, body) => {
    expect(checkEv(body)).toMatchObject({ ok: false, reason });
  });
});

describe('validateStatus', () => {
  it('reads the online announcement and the last will', () => {
    expect(validateStatus('TAG001', msg({ v: 1, online: true, fw: '2.4.1', interval_s: 60 }), limits)).toEqual({
      ok: true,
      value: { deviceId: 'TAG001', online: true, firmware: '2.4.1', intervalS: 60 },
    });
    expect(validateStatus('TAG001', msg({ v: 1, online: false }), limits)).toMatchObject({ ok: true, value: { online: false } });
  });
  it('rejects a status without its online flag', () => {
    expect(validateStatus('TAG001', msg({ v: 1 }), limits)).toMatchObject({ ok: false, reason: 'schema' });
  });
});

describe('validation never throws', () => {
  it.each(['null', '1', '"x"', '[]', 'true', '{"fixes":null}', '{"fixes":[null]}'])('rejects %s without throwing', (body) => {
    expect(() => validateFixBatch('TAG001', Buffer.from(body), NOW, limits)).not.toThrow();
    expect(validateFixBatch('TAG001', Buffer.from(body), NOW, limits).ok).toBe(false);
    expect(validateEventBatch('TAG001', Buffer.from(body), NOW, limits).ok).toBe(false);
  });
});
