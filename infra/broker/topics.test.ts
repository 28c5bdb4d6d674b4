import { describe, expect, it } from 'vitest';
import { topics } from './topics.ts';

describe('topics', () => {
  const t = topics('em/v1');
  it('builds per-device topics and parses them back', () => {
    expect(t.fixes('TAG1')).toBe('em/v1/devices/TAG1/up/fixes');
    expect(t.parse(t.fixes('TAG1'))).toEqual({ deviceId: 'TAG1', channel: 'fixes' });
    expect(t.parse(t.events('TAG1'))).toEqual({ deviceId: 'TAG1', channel: 'events' });
    expect(t.parse(t.status('TAG1'))).toEqual({ deviceId: 'TAG1', channel: 'status' });
  });
  it('refuses topics outside the layout', () => {
    for (const bad of ['em/v1/devices//up/fixes', 'em/v1/devices/TAG1/up/fixes/x', 'em/v2/devices/TAG1/up/fixes', 'em/v1/devices/TAG1/down/cmd']) {
      expect(t.parse(bad)).toBeNull();
    }
  });
});
