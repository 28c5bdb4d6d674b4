/**
 * A long track cannot be printed in full (a day at one fix a minute is 1,440 rows), so the
 * document's table shows a sample that a reader can describe in one sentence: the first row, then
 * every Nth, and the last. The evidence hash still covers every row.
 */
export interface TableSample<T> {
  /** The rows shown, with their 1-based position in the full, ordered list. */
  rows: { position: number; item: T }[];
  total: number;
  /** 1 when every row is shown. */
  step: number;
}

export function sampleRows<T>(items: readonly T[], maxRows: number): TableSample<T> {
  if (!Number.isInteger(maxRows) || maxRows < 2) throw new RangeError(`maxRows must be an integer of at least 2, got ${maxRows}`);
  const total = items.length;
  if (total <= maxRows) return { rows: items.map((item, i) => ({ position: i + 1, item })), total, step: 1 };
  // Positions 1, 1+step, 1+2*step, ... plus the last: at most maxRows rows in all.
  const step = Math.ceil((total - 1) / (maxRows - 1));
  const rows: { position: number; item: T }[] = [];
  for (let i = 0; i < total - 1; i += step) rows.push({ position: i + 1, item: items[i]! });
  rows.push({ position: total, item: items[total - 1]! });
  return { rows, total, step };
}
