/** Parses a per-tag reporting rate such as "1/60s", "2/1s" or "1/500ms" into an interval in ms. */
export function parseRate(rate: string): number {
  const m = /^(\d+)\/(\d+)(ms|s|m)$/.exec(rate);
  if (!m) throw new Error(`--rate must look like 1/60s, 2/1s or 1/500ms, got "${rate}"`);
  const unit = { ms: 1, s: 1000, m: 60_000 }[m[3] as 'ms' | 's' | 'm'];
  const perTagIntervalMs = (Number(m[2]) * unit) / Number(m[1]);
  if (!Number.isFinite(perTagIntervalMs) || perTagIntervalMs <= 0) throw new Error(`--rate "${rate}" gives no interval`);
  return perTagIntervalMs;
}

/** Parses a duration such as "90s", "10m", "2h" or "500ms" into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`--duration must look like 90s, 10m or 2h, got "${text}"`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  if (!(ms > 0)) throw new Error(`--duration "${text}" is not positive`);
  return ms;
}
