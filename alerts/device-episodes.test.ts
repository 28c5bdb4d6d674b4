import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../infra/domain/types.ts';
import { initialDeviceEpisodeState, stepDeviceEvents, stepDeviceStatus } from './device-episodes.ts';

const ev = (seq: number, t: number, type: string, data: Record<string, unknown> = {}): DeviceEvent => ({ deviceId: 'T1', seq, deviceTime: t, type, data });

describe('device episodes', () => {
  it('a strap opened and closed again raises one tamper alert that does not close itself', () => {
    const r = stepDeviceEvents(initialDeviceEpisodeState(), 'T1', [ev(1, 1000, 'strap_opened'), ev(2, 2000, 'strap_closed'), ev(3, 3000, 'strap_opened')]);
    expect(r.transitions.filter((t) => t.kind === 'close')).toEqual([]);
    expect(r.transitions.map((t) => (t.kind === 'open' ? t.type : t.kind))).toEqual(['strap_tamper', 'strap_tamper']);
    expect(r.transitions[0]).toMatchObject({ episodeKey: 'T1:strap:1000', details: { selfClearing: false } });
  });

  it('battery: low, then critical supersedes it, then charging ends the episode', () => {
    const r = stepDeviceEvents(initialDeviceEpisodeState(), 'T1', [
      ev(1, 1000, 'battery', { level: 40 }),
      ev(2, 2000, 'battery', { level: 19 }),
      ev(3, 3000, 'battery', { level: 15 }),
      ev(4, 4000, 'battery', { level: 9 }),
      ev(5, 5000, 'charger_connected'),
    ]);
    expect(r.transitions).toEqual([
      { kind: 'open', type: 'battery_low', episodeKey: 'T1:battery:2000', at: 2000, details: { level: 19, event: 'battery', selfClearing: true } },
      { kind: 'close', episodeKey: 'T1:battery:2000', at: 4000 },
      { kind: 'open', type: 'battery_critical', episodeKey: 'T1:battery:4000', at: 4000, details: { level: 9, event: 'battery', selfClearing: true } },
      { kind: 'close', episodeKey: 'T1:battery:4000', at: 5000 },
    ]);
    expect(r.state.battery).toBe('ok');
  });

  it('a level wavering around the low threshold raises one alert, not many', () => {
    const levels = [21, 20, 21, 20, 22, 19, 21, 24, 20];
    const r = stepDeviceEvents(initialDeviceEpisodeState(), 'T1', levels.map((level, i) => ev(i, 1000 * (i + 1), 'battery', { level })));
    expect(r.transitions.filter((t) => t.kind === 'open')).toHaveLength(1);
    expect(r.transitions.filter((t) => t.kind === 'close')).toHaveLength(0);
  });

  it('powering off with a flat battery raises battery_dead', () => {
    const r = stepDeviceEvents(initialDeviceEpisodeState(), 'T1', [ev(1, 1000, 'powering_off', { reason: 'battery_flat' })]);
    expect(r.transitions).toMatchObject([{ kind: 'open', type: 'battery_dead' }]);
  });

  it('late events are ignored: they cannot reopen or close anything', () => {
    const first = stepDeviceEvents(initialDeviceEpisodeState(), 'T1', [ev(2, 2000, 'battery', { level: 15 })]);
    const late = stepDeviceEvents(first.state, 'T1', [ev(1, 1000, 'charger_connected')]);
    expect(late.transitions).toEqual([]);
    expect(late.state.batteryKey).toBe('T1:battery:2000');
  });

  it('offline (last will) opens once and online closes it', () => {
    let s = initialDeviceEpisodeState();
    const off = stepDeviceStatus(s, { deviceId: 'T1', online: false, firmware: null, intervalS: null }, 5000);
    s = off.state;
    expect(off.transitions).toMatchObject([{ kind: 'open', type: 'device_offline', episodeKey: 'T1:offline:5000' }]);
    expect(stepDeviceStatus(s, { deviceId: 'T1', online: false, firmware: null, intervalS: null }, 6000).transitions).toEqual([]);
    expect(stepDeviceStatus(s, { deviceId: 'T1', online: true, firmware: null, intervalS: null }, 7000).transitions).toEqual([{ kind: 'close', episodeKey: 'T1:offline:5000', at: 7000 }]);
  });
});
