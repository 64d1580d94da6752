/**
 * A small client for the Prometheus HTTP API's range queries (`POST /api/v1/query_range`), as
 * documented at https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries.
 * Long ranges are split so no query asks for more than Prometheus's 11,000 points per series.
 */
import { PaveError } from '../../core/errors.js';

/** One series of a range query: its labels and its `[unix seconds, value]` samples. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, number][];
}

/** Prometheus refuses range queries of more than 11,000 points per series; stay under it. */
export const MAX_POINTS_PER_QUERY = 10_000;

export interface RangeQuery {
  query: string;
  /** First evaluation time, unix seconds. */
  start: number;
  /** Last evaluation time, unix seconds (inclusive). */
  end: number;
  stepSeconds: number;
}

/** An error talking to Prometheus: the URL, and Prometheus's own words when it answered. */
export class PrometheusError extends PaveError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 502, exitCode: 1, code: 'prometheus', cause });
  }
}

/** Runs a range query, in chunks if needed, and returns its series with numeric values (NaN kept). */
export async function queryRange(
  baseUrl: string,
  range: RangeQuery,
  fetchImpl: typeof fetch = fetch,
): Promise<RangeSeries[]> {
  const bySeries = new Map<string, RangeSeries>();
  const span = MAX_POINTS_PER_QUERY * range.stepSeconds;
  for (let start = range.start; start <= range.end; start += span) {
    const end = Math.min(range.end, start + span - range.stepSeconds);
    for (const series of await queryRangeOnce(baseUrl, { ...range, start, end }, fetchImpl)) {
      const key = JSON.stringify(Object.entries(series.metric).sort());
      const known = bySeries.get(key);
      if (known) known.values.push(...series.values);
      else bySeries.set(key, series);
    }
  }
  return [...bySeries.values()];
}

async function queryRangeOnce(
  baseUrl: string,
  range: RangeQuery,
  fetchImpl: typeof fetch,
): Promise<RangeSeries[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/query_range`;
  const body = new URLSearchParams({
    query: range.query,
    start: String(range.start),
    end: String(range.end),
    step: String(range.stepSeconds),
  });
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
  } catch (error) {
    throw new PrometheusError(`cannot reach Prometheus at ${url}: ${(error as Error).message}`, error);
  }
  const text = await response.text();
  let parsed: {
    status?: string;
    error?: string;
    errorType?: string;
    data?: {
      resultType?: string;
      result?: { metric?: Record<string, string>; values?: [number, string][] }[];
    };
  };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PrometheusError(
      `Prometheus at ${url} answered HTTP ${response.status} with something that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!response.ok || parsed.status !== 'success') {
    throw new PrometheusError(
      `Prometheus rejected the query (HTTP ${response.status}${parsed.errorType ? `, ${parsed.errorType}` : ''}): ${parsed.error ?? text.slice(0, 200)}\n  query: ${range.query}`,
    );
  }
  if (parsed.data?.resultType !== 'matrix') {
    throw new PrometheusError(
      `Prometheus answered a ${parsed.data?.resultType ?? 'missing'} result, not a matrix: ${range.query}`,
    );
  }
  return (parsed.data.result ?? []).map((series) => ({
    metric: series.metric ?? {},
    // Prometheus writes values as strings: "NaN", "+Inf" and numbers.
    values: (series.values ?? []).map(([time, value]) => [Number(time), Number(value)] as [number, number]),
  }));
}
