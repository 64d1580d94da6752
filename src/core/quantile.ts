/**
 * Quantiles and sample-size rules shared by every metric.
 *
 * `percentileCont` interpolates linearly between the closest ranks, exactly as SQL's
 * `percentile_cont` does in PostgreSQL and DuckDB, so a number computed in SQL and in code agree.
 */

/** Below this many samples a quantile or rate is reported as `null` with `insufficient_data`. */
export const DEFAULT_MIN_SAMPLE = 5;

/** Status carried by every metric value that may lack data. */
export type MetricStatus = 'ok' | 'insufficient_data' | 'no_data';

/** The `q` quantile (0..1) of values sorted ascending; `undefined` for an empty list. */
export function percentileCont(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (position - lower);
}

/** Copies and sorts numbers ascending (the default `sort` compares as strings). */
export function sortedNumbers(values: Iterable<number>): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

/** Arithmetic mean, `undefined` for an empty list. */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** The status of a sample of `n` values against the minimum sample size. */
export function sampleStatus(n: number, minSample = DEFAULT_MIN_SAMPLE): MetricStatus {
  if (n === 0) return 'no_data';
  return n < minSample ? 'insufficient_data' : 'ok';
}

/**
 * Quantiles of a sample, `null` each when the sample is smaller than `minSample`.
 * Returns `{ n, status, values }` where `values[i]` is the `quantiles[i]` quantile.
 */
export function quantileSummary(
  values: Iterable<number>,
  quantiles: readonly number[],
  minSample = DEFAULT_MIN_SAMPLE,
): { n: number; status: MetricStatus; values: (number | null)[] } {
  const sorted = sortedNumbers(values);
  const status = sampleStatus(sorted.length, minSample);
  return {
    n: sorted.length,
    status,
    values: quantiles.map((q) => (status === 'ok' ? (percentileCont(sorted, q) ?? null) : null)),
  };
}

/** `numerator / denominator`, or `null` when the denominator is below the minimum sample. */
export function guardedRatio(
  numerator: number,
  denominator: number,
  minSample = DEFAULT_MIN_SAMPLE,
): number | null {
  if (denominator === 0 || denominator < minSample) return null;
  return numerator / denominator;
}
