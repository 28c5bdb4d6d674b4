/**
 * When silence becomes an alert: nothing heard for `factor` reporting intervals plus a grace
 * period. Three intervals tolerate two lost reports (cellular gaps are common); the grace covers
 * a tag's reconnect and store-and-forward upload after a short outage.
 */
export interface SilenceSettings {
  factor: number;
  graceMs: number;
}

export const DEFAULT_SILENCE: SilenceSettings = { factor: 3, graceMs: 120_000 };

export function silenceThresholdMs(reportIntervalS: number, s: SilenceSettings): number {
  return reportIntervalS * 1000 * s.factor + s.graceMs;
}
