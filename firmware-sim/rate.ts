/** Parses a per-tag reporting rate such as "1/60s", "2/1s" or "1/500ms" into an interval in ms. */
export function parseRate(rate: string): number {
  const m = /^(\d+)\/(\d+)(ms|s|m)$/.exec(rate);
  if (!m) throw new Error(`--rate must look like 1/60s, 2/1s or 1/500ms, got "${rate}"`);
  const unit = { ms: 1, s: 1000, m: 60_000 }[m[3] as 'ms' | 's' | 'm'];
  const perTagIntervalMs = (Number(m[2]) * unit) / Number(m[1]);
  if (!Number.isFinite(perTagIntervalMs) || perTagIntervalMs <= 0) throw new Error(`--rate "${rate}" gives no interval`);
  return perTagIntervalMs;
}
