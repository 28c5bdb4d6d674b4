/** What a fleet has done so far: the counters a progress line is made of. */
export interface FleetSnapshot {
  atMs: number;
  tags: number;
  connected: number;
  /** Tags whose first connection attempt has finished (either way): the ramp-up's progress. */
  rampedUp: number;
  sent: number;
  acked: number;
  failed: number;
  fixesAcked: number;
  eventsAcked: number;
  buffered: number;
  flat: number;
  rssBytes: number;
  heapBytes: number;
}

const mb = (b: number) => `${Math.round(b / 1_048_576)}MB`;

/**
 * One progress line. Rates are over the interval since the previous snapshot, so a stall shows at
 * once instead of being averaged away over the run. Pure, for the tests.
 */
export function progressLine(s: FleetSnapshot, prev: FleetSnapshot | null): string {
  const dt = prev ? (s.atMs - prev.atMs) / 1000 : 0;
  const rate = (now: number, before: number) => (dt > 0 ? ((now - before) / dt).toFixed(1) : '-');
  const ramp = s.rampedUp < s.tags ? ` ramp=${s.rampedUp}/${s.tags}` : '';
  return (
    `[sim] ${(s.atMs / 1000).toFixed(0)}s tags=${s.tags} connected=${s.connected}${ramp} ` +
    `published=${s.sent} acked=${s.acked} failed=${s.failed} buffered=${s.buffered} flat=${s.flat} ` +
    `fixes=${s.fixesAcked} events=${s.eventsAcked} rate=${rate(s.acked, prev?.acked ?? 0)} msg/s ` +
    `fixrate=${rate(s.fixesAcked, prev?.fixesAcked ?? 0)}/s rss=${mb(s.rssBytes)} heap=${mb(s.heapBytes)} (${(s.rssBytes / Math.max(1, s.tags) / 1024).toFixed(0)}KB/tag)`
  );
}
