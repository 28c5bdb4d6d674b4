import { describe, expect, it } from 'vitest';
import { progressLine, type FleetSnapshot } from './fleet-progress.ts';

const snap = (o: Partial<FleetSnapshot>): FleetSnapshot => ({
  atMs: 0, tags: 10, connected: 0, rampedUp: 0, sent: 0, acked: 0, failed: 0, fixesAcked: 0, eventsAcked: 0, buffered: 0, flat: 0, rssBytes: 0, heapBytes: 0, ...o,
});

describe('progressLine', () => {
  it('shows the counters and the rates since the previous line', () => {
    const a = snap({ atMs: 5000, acked: 100, fixesAcked: 80, rampedUp: 10 });
    const b = snap({ atMs: 10_000, connected: 10, rampedUp: 10, sent: 160, acked: 150, failed: 2, fixesAcked: 130, buffered: 7, rssBytes: 200 * 1_048_576 });
    const line = progressLine(b, a);
    expect(line).toContain('10s tags=10 connected=10 published=160 acked=150 failed=2 buffered=7');
    expect(line).toContain('rate=10.0 msg/s fixrate=10.0/s rss=200MB');
    expect(line).not.toContain('ramp=');
  });
  it('shows the ramp-up while connections are still being made', () => {
    expect(progressLine(snap({ atMs: 5000, rampedUp: 4 }), null)).toContain('ramp=4/10');
  });
});
