/**
 * The table (and CSV) view of a CI report: one row per pipeline, slowest first; the flaky tests
 * are in the JSON and in the summary.
 */
import type { Table } from '../core/command.js';
import type { CiReport } from './metricsModel.js';

const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : Number(value.toFixed(digits));

/** The rows of `pave metrics ci` for table and CSV output. */
export function ciReportTable(report: CiReport): Table {
  const rows = [...report.pipelines]
    .sort(
      (a, b) => (b.p95DurationSeconds ?? -1) - (a.p95DurationSeconds ?? -1) || a.name.localeCompare(b.name),
    )
    .map((pipeline) => ({
      pipeline: pipeline.name,
      service: pipeline.service,
      runs: pipeline.runs,
      successPercent: pipeline.successRate === null ? null : round(pipeline.successRate * 100),
      cancelled: pipeline.cancelled,
      skipped: pipeline.skipped,
      p50Minutes: pipeline.p50DurationSeconds === null ? null : round(pipeline.p50DurationSeconds / 60),
      p95Minutes: pipeline.p95DurationSeconds === null ? null : round(pipeline.p95DurationSeconds / 60),
      queueP50Minutes: pipeline.p50QueueSeconds === null ? null : round(pipeline.p50QueueSeconds / 60),
      flakePercent: pipeline.flakeRate === null ? null : round(pipeline.flakeRate * 100),
    }));
  return {
    columns: [
      { key: 'pipeline', header: 'PIPELINE' },
      { key: 'service', header: 'SERVICE' },
      { key: 'runs', header: 'RUNS' },
      { key: 'successPercent', header: 'SUCCESS %' },
      { key: 'cancelled', header: 'CANCELLED' },
      { key: 'skipped', header: 'SKIPPED' },
      { key: 'p50Minutes', header: 'P50 MIN' },
      { key: 'p95Minutes', header: 'P95 MIN' },
      { key: 'queueP50Minutes', header: 'QUEUE P50 MIN' },
      { key: 'flakePercent', header: 'FLAKY RUNS %' },
    ],
    rows,
  };
}
