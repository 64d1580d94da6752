/**
 * Pulling SLI data from Prometheus: for each SLO whose SLI queries are Prometheus queries, range
 * queries at a fixed step turn into SLI points, one per step.
 *
 * - Evaluation times are multiples of the step (Unix epoch), so pulling the same range again gives
 *   the same intervals: the point at time `t` covers `[t - step, t)`, and `{{.window}}` in a query
 *   is replaced by the step, so `rate(x[{{.window}}])` covers exactly that interval.
 * - Event queries (good/total, bad/total) are rates per second, as Sloth writes them: a point's
 *   events are `rate × step`. Several series are summed.
 * - An error-ratio query (Sloth `raw`, OpenSLO `rawType: failure`) or a success ratio gives each step
 *   one unit: `good = 1 - error ratio`, `total = 1` (every step weighs the same, as in Sloth).
 * - A threshold SLI gives each step one unit, good when `value <op> threshold` holds.
 * - NaN (no traffic: 0/0), missing and infinite samples give no point: no data.
 * - A ratio or threshold query must return one series (a sum of ratios means nothing).
 * An SLO whose queries Prometheus rejects is reported as failed; the others are still pulled.
 */
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { Store } from '../../store/Store.js';
import type { MetricQuery, Sli } from '../model.js';
import { hasWindowPlaceholder, renderWindow } from '../promql.js';
import type { SliPoint, SliWriteReport } from './model.js';
import { PrometheusError, queryRange } from './prometheusClient.js';
import { type SloRow, sloRows } from './sloQueries.js';
import { writeSliPoints } from './writeSliPoints.js';

export interface PullOptions {
  /** The Prometheus server's base URL (`http://prometheus:9090`). */
  url: string;
  /** The last instant to pull up to; now by default. */
  to?: Date;
  /** Where to start; by default where the last pull of each SLO ended, or one window (at least 28 days) back. */
  from?: Date;
  stepSeconds?: number;
  /** Only these SLO ids; all registered SLOs by default. */
  ids?: readonly string[];
  fetch?: typeof fetch;
}

/** What happened to one SLO. */
export interface PullResult {
  slo: string;
  status: 'pulled' | 'skipped' | 'failed';
  reason?: string;
  from?: string;
  to?: string;
  points?: number;
  write?: SliWriteReport;
}

export const DEFAULT_PULL_STEP_SECONDS = 300;

/** Pulls every (or each named) SLO's SLI from Prometheus and stores the points. */
export async function pullSli(store: Store, options: PullOptions): Promise<PullResult[]> {
  const step = options.stepSeconds ?? DEFAULT_PULL_STEP_SECONDS;
  if (!(step > 0) || !Number.isInteger(step))
    throw new RangeError(`the step must be a whole number of seconds, not ${step}`);
  const to = options.to ?? new Date();
  const rows = await sloRows(store, options.ids ? { ids: options.ids } : {});
  const results: PullResult[] = [];
  for (const row of rows) {
    const unsupported = pullProblem(row.spec.sli);
    if (unsupported) {
      results.push({ slo: row.slo_id, status: 'skipped', reason: unsupported });
      continue;
    }
    const from = options.from ?? (await defaultFrom(store, row, to));
    // Evaluation times: multiples of the step in (from, to].
    const first = Math.floor(from.getTime() / 1000 / step) * step + step;
    const last = Math.floor(to.getTime() / 1000 / step) * step;
    if (last < first) {
      results.push({
        slo: row.slo_id,
        status: 'skipped',
        reason: `nothing to pull: less than one ${formatDuration(step)} step since ${from.toISOString()}`,
      });
      continue;
    }
    let points: SliPoint[];
    try {
      points = await pullPoints(options.url, row.spec.sli, first, last, step, options.fetch);
    } catch (error) {
      if (!(error instanceof PrometheusError)) throw error;
      results.push({ slo: row.slo_id, status: 'failed', reason: error.message });
      continue;
    }
    const range = { from: new Date((first - step) * 1000), to: new Date(last * 1000) };
    const write = await writeSliPoints(store, row.slo_id, points, {
      source: 'prometheus',
      replaceRange: range,
    });
    results.push({
      slo: row.slo_id,
      status: 'pulled',
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      points: points.length,
      write,
    });
  }
  return results;
}

/** Why an SLI cannot be pulled from Prometheus, or undefined when it can. */
export function pullProblem(sli: Sli): string | undefined {
  for (const { role, query } of sliQueries(sli)) {
    if (!/^(prometheus|sloth)$/i.test(query.sourceType)) {
      return `the ${role} query's source is ${query.sourceType}, not Prometheus: push its data instead (pave slo push)`;
    }
    if (sli.type !== 'threshold' && !hasWindowPlaceholder(query.query)) {
      return `the ${role} query has no {{.window}}: Pave cannot make it cover one step (write rate(x[{{.window}}]))`;
    }
  }
  return undefined;
}

function sliQueries(sli: Sli): { role: string; query: MetricQuery }[] {
  if (sli.type === 'ratio') {
    return [
      ...(sli.good ? [{ role: 'good', query: sli.good }] : []),
      ...(sli.bad ? [{ role: 'bad', query: sli.bad }] : []),
      { role: 'total', query: sli.total },
    ];
  }
  if (sli.type === 'raw') return [{ role: `${sli.rawType} ratio`, query: sli.query }];
  return [{ role: 'threshold metric', query: sli.metric }];
}

/** Where the last pull of an SLO ended, or one window (at least the 28-day policy window) back. */
async function defaultFrom(store: Store, row: SloRow, to: Date): Promise<Date> {
  const [last] = await store.query<{ last_end: Date | null }>(
    "SELECT max(end_at) AS last_end FROM slo_sli_points WHERE slo_key = $1 AND source = 'prometheus'",
    [row.slo_key],
  );
  if (last?.last_end) return last.last_end;
  return new Date(to.getTime() - Math.max(row.window_seconds, parseDuration('28d')) * 1000);
}

/** One value per evaluation time: the sum of the series (`events`), or the only series. */
async function valuesByTime(
  url: string,
  query: string,
  first: number,
  last: number,
  step: number,
  fetchImpl: typeof fetch | undefined,
  kind: 'events' | 'single' = 'events',
): Promise<Map<number, number>> {
  const rendered = renderWindow(query, formatDuration(step));
  const series = await queryRange(
    url,
    { query: rendered, start: first, end: last, stepSeconds: step },
    fetchImpl,
  );
  if (kind === 'single' && series.length > 1) {
    throw new PrometheusError(
      `the query returns ${series.length} series; a ratio or threshold query must return one (aggregate it): ${rendered}`,
    );
  }
  const values = new Map<number, number>();
  for (const one of series) {
    for (const [time, value] of one.values) values.set(time, (values.get(time) ?? 0) + value);
  }
  return values;
}

async function pullPoints(
  url: string,
  sli: Sli,
  first: number,
  last: number,
  step: number,
  fetchImpl: typeof fetch | undefined,
): Promise<SliPoint[]> {
  const points: SliPoint[] = [];
  const add = (time: number, good: number, total: number) => {
    if (!Number.isFinite(good) || !Number.isFinite(total) || total < 0) return;
    // Rates from counters can overshoot (extrapolation, resets): keep 0 <= good <= total.
    const kept = Math.min(Math.max(good, 0), total);
    points.push({ start: new Date((time - step) * 1000), end: new Date(time * 1000), good: kept, total });
  };
  if (sli.type === 'ratio') {
    const total = await valuesByTime(url, sli.total.query, first, last, step, fetchImpl);
    const other = await valuesByTime(url, (sli.good ?? sli.bad)!.query, first, last, step, fetchImpl);
    for (const [time, totalRate] of total) {
      const otherRate = other.get(time);
      if (otherRate === undefined) continue;
      const good = sli.good ? otherRate : totalRate - otherRate;
      add(time, good * step, totalRate * step);
    }
  } else if (sli.type === 'raw') {
    for (const [time, ratio] of await valuesByTime(
      url,
      sli.query.query,
      first,
      last,
      step,
      fetchImpl,
      'single',
    )) {
      const clamped = Math.min(Math.max(ratio, 0), 1);
      add(time, sli.rawType === 'failure' ? 1 - clamped : clamped, 1);
    }
  } else {
    const holds = {
      lt: (v: number) => v < sli.value,
      lte: (v: number) => v <= sli.value,
      gt: (v: number) => v > sli.value,
      gte: (v: number) => v >= sli.value,
    }[sli.op];
    for (const [time, value] of await valuesByTime(
      url,
      sli.metric.query,
      first,
      last,
      step,
      fetchImpl,
      'single',
    )) {
      if (Number.isFinite(value)) add(time, holds(value) ? 1 : 0, 1);
    }
  }
  return points.sort((a, b) => a.start.getTime() - b.start.getTime());
}
