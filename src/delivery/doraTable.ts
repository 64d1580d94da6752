/**
 * The table (and CSV) view of a DORA report: one row per metric, or, with buckets, one row per
 * bucket. Durations in hours and rates in percent, for people; the JSON keeps seconds and 0..1.
 */
import type { Table } from '../core/command.js';
import type { DoraMetrics, DoraReport } from './metricsModel.js';

const round = (value: number | null, digits = 2): number | null =>
  value === null ? null : Number(value.toFixed(digits));
const hours = (seconds: number | null): number | null => (seconds === null ? null : round(seconds / 3600));
const percent = (ratio: number | null): number | null => (ratio === null ? null : round(ratio * 100, 1));

/** The rows of `pave metrics dora` for table and CSV output. */
export function doraTable(report: DoraReport): Table {
  if (report.bucket !== 'none') {
    return {
      columns: [
        { key: 'start', header: 'START' },
        { key: 'deployments', header: 'DEPLOYS' },
        { key: 'perWeek', header: 'PER WEEK' },
        { key: 'leadTimeP50Hours', header: 'LEAD P50 H' },
        { key: 'changeFailurePercent', header: 'CFR %' },
        { key: 'recoveryP50Hours', header: 'RECOVERY P50 H' },
        { key: 'openFailures', header: 'OPEN' },
        { key: 'reworkPercent', header: 'REWORK %' },
      ],
      rows: report.buckets.map((bucket) => ({
        start: localDay(bucket.start, report.timezone),
        ...bucketRow(bucket),
      })),
    };
  }
  const m = report;
  return {
    columns: [
      { key: 'metric', header: 'METRIC' },
      { key: 'value', header: 'VALUE' },
      { key: 'unit', header: 'UNIT' },
      { key: 'n', header: 'N' },
      { key: 'tier', header: 'TIER' },
      { key: 'status', header: 'STATUS' },
    ],
    rows: [
      {
        metric: 'deployment frequency',
        value: round(m.deploymentFrequency.perWeek),
        unit: 'deployments/week',
        n: m.deploymentFrequency.deployments,
        tier: m.deploymentFrequency.tier,
        status: m.deploymentFrequency.status,
      },
      {
        metric: 'per deploying service',
        value: round(m.deploymentFrequency.perServicePerWeek),
        unit: 'deployments/week',
        n: m.deploymentFrequency.services,
        tier: null,
        status: m.deploymentFrequency.status,
      },
      {
        metric: 'deploy days',
        value: round(m.deploymentFrequency.deployDaysPerWeek),
        unit: 'days/week',
        n: m.deploymentFrequency.deployDays,
        tier: null,
        status: m.deploymentFrequency.status,
      },
      ...(['p50', 'p75', 'p90'] as const).map((q) => ({
        metric: `lead time ${q}`,
        value: hours(m.leadTime[`${q}Seconds`]),
        unit: 'hours',
        n: m.leadTime.n,
        tier: q === 'p50' ? m.leadTime.tier : null,
        status: m.leadTime.status,
      })),
      {
        metric: 'change failure rate',
        value: percent(m.changeFailureRate.rate),
        unit: `% (${m.changeFailureRate.failed} failed)`,
        n: m.changeFailureRate.deployments,
        tier: m.changeFailureRate.tier,
        status: m.changeFailureRate.status,
      },
      {
        metric: 'recovery time p50',
        value: hours(m.recoveryTime.p50Seconds),
        unit: `hours (${m.recoveryTime.open} open)`,
        n: m.recoveryTime.n,
        tier: m.recoveryTime.tier,
        status: m.recoveryTime.status,
      },
      {
        metric: 'rework rate',
        value: percent(m.reworkRate.rate),
        unit: `% (${m.reworkRate.rework} rework)`,
        n: m.reworkRate.deployments,
        tier: null,
        status: m.reworkRate.status,
      },
    ],
  };
}

/** The day (YYYY-MM-DD) an instant falls on in a time zone: a bucket's Monday or 1st, not its UTC date. */
function localDay(instant: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

function bucketRow(m: DoraMetrics): Record<string, unknown> {
  return {
    deployments: m.deploymentFrequency.deployments,
    perWeek: round(m.deploymentFrequency.perWeek),
    leadTimeP50Hours: hours(m.leadTime.p50Seconds),
    changeFailurePercent: percent(m.changeFailureRate.rate),
    recoveryP50Hours: hours(m.recoveryTime.p50Seconds),
    openFailures: m.recoveryTime.open,
    reworkPercent: percent(m.reworkRate.rate),
  };
}
