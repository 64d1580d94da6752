/**
 * Storing SLI points, idempotent per (SLO, start, end): a point sent again with the same counts
 * changes nothing, with other counts replaces the stored one. Points that overlap stored points of
 * other intervals are refused (their events would count twice), unless the write replaces a range
 * (a Prometheus pull re-reading it, perhaps at another step).
 *
 * Both engines take the same path: stage the batch in a temporary table, count what is new and
 * what changed, delete the changed rows, insert the new ones, in one transaction.
 */
import { ConflictError, type Problem } from '../../core/errors.js';
import type { Queryable, Store } from '../../store/Store.js';
import { floatTexts } from './evaluationQueries.js';
import type { SliPoint, SliWriteReport } from './model.js';
import { interval } from './readSliPoints.js';
import { sloRow } from './sloQueries.js';

/** Where points came from, recorded with each: `push` (API, CLI), `prometheus` (pull) or `demo`. */
export type SliSource = 'push' | 'prometheus' | 'demo';

export interface WriteSliOptions {
  source: SliSource;
  /** Remove this source's stored points inside [from, to] first: a pull re-reading its range. */
  replaceRange?: { from: Date; to: Date };
}

const STAGE = 'pave_stage_slo_sli';
const MAX_CONFLICTS_SHOWN = 5;

/** Stores the points of one SLO (already validated, e.g. by `readSliPointsJson`). */
export async function writeSliPoints(
  store: Store,
  sloId: string,
  points: readonly SliPoint[],
  options: WriteSliOptions,
): Promise<SliWriteReport> {
  const slo = await sloRow(store, sloId);
  const report: SliWriteReport = {
    slo: sloId,
    received: points.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    replaced: 0,
  };
  if (points.length === 0 && !options.replaceRange) return report;
  let minStart = Number.POSITIVE_INFINITY;
  let maxEnd = Number.NEGATIVE_INFINITY;
  let longest = 0;
  for (const point of points) {
    minStart = Math.min(minStart, point.start.getTime());
    maxEnd = Math.max(maxEnd, point.end.getTime());
    longest = Math.max(longest, (point.end.getTime() - point.start.getTime()) / 1000);
  }
  await store.transaction(async (tx) => {
    const match = 'p.slo_key = s.slo_key AND p.end_at = s.end_at AND p.start_at = s.start_at';
    const replace = options.replaceRange;
    if (points.length === 0) {
      if (replace) {
        report.replaced = await tx.execute(
          'DELETE FROM slo_sli_points WHERE slo_key = $1 AND source = $2 AND start_at >= $3 AND end_at <= $4',
          [slo.slo_key, options.source, replace.from, replace.to],
        );
      }
      return;
    }
    await tx.execute(`DROP TABLE IF EXISTS ${STAGE}`);
    await tx.execute(
      store.dialect.ddl(
        `CREATE TEMP TABLE ${STAGE} (slo_key INTEGER, start_at {{timestamp}}, end_at {{timestamp}}, good {{double}}, total {{double}}, source TEXT)`,
      ),
    );
    // Arrays unnested in SQL: the adapters' bulk insert does not see a transaction's temporary tables.
    await tx.execute(
      `INSERT INTO ${STAGE} (slo_key, start_at, end_at, good, total, source)
       SELECT $1, CAST(u.s AS {{timestamp}}), CAST(u.e AS {{timestamp}}), CAST(u.g AS FLOAT8), CAST(u.t AS FLOAT8), $6
       FROM (SELECT unnest($2::TEXT[]) AS s, unnest($3::TEXT[]) AS e, unnest($4::TEXT[]) AS g, unnest($5::TEXT[]) AS t) u`.replaceAll(
        '{{timestamp}}',
        store.dialect.timestampType,
      ),
      [
        slo.slo_key,
        points.map((point) => point.start.toISOString()),
        points.map((point) => point.end.toISOString()),
        floatTexts(points.map((point) => point.good)),
        floatTexts(points.map((point) => point.total)),
        options.source,
      ],
    );
    if (replace) {
      // Points of the range the new batch does not repeat go; repeated ones are compared below.
      report.replaced = await tx.execute(
        `DELETE FROM slo_sli_points p WHERE p.slo_key = $1 AND p.source = $2 AND p.start_at >= $3 AND p.end_at <= $4
           AND NOT EXISTS (SELECT 1 FROM ${STAGE} s WHERE ${match})`,
        [slo.slo_key, options.source, replace.from, replace.to],
      );
    }
    await assertNoOverlap(tx, slo.slo_key, sloId, points, new Date(minStart), new Date(maxEnd));
    const [counts] = await tx.query<{ added: number; updated: number }>(
      `SELECT count(*) FILTER (WHERE p.slo_key IS NULL) AS added,
              count(*) FILTER (WHERE p.slo_key IS NOT NULL AND (p.good <> s.good OR p.total <> s.total)) AS updated
       FROM ${STAGE} s LEFT JOIN slo_sli_points p ON ${match}`,
    );
    report.added = counts?.added ?? 0;
    report.updated = counts?.updated ?? 0;
    report.unchanged = points.length - report.added - report.updated;
    if (report.updated > 0) {
      await tx.execute(
        `DELETE FROM slo_sli_points p USING ${STAGE} s WHERE ${match} AND (p.good <> s.good OR p.total <> s.total)`,
      );
    }
    if (report.added + report.updated > 0) {
      // PostgreSQL's primary key also guards against a concurrent writer of the same points.
      await tx.execute(
        `INSERT INTO slo_sli_points (slo_key, start_at, end_at, good, total, source)
         SELECT s.slo_key, s.start_at, s.end_at, s.good, s.total, s.source FROM ${STAGE} s
         WHERE NOT EXISTS (SELECT 1 FROM slo_sli_points p WHERE ${match})${store.engine === 'postgres' ? ' ON CONFLICT DO NOTHING' : ''}`,
      );
    }
    await tx.execute(`DROP TABLE ${STAGE}`);
    await tx.execute(
      'UPDATE slo_specs SET max_point_seconds = CASE WHEN max_point_seconds IS NULL OR max_point_seconds < $2 THEN $2 ELSE max_point_seconds END WHERE slo_key = $1',
      [slo.slo_key, longest],
    );
  });
  return report;
}

/** Refuses points overlapping stored points of another interval. */
async function assertNoOverlap(
  tx: Queryable,
  sloKey: number,
  sloId: string,
  points: readonly SliPoint[],
  from: Date,
  to: Date,
): Promise<void> {
  const stored = await tx.query<{ start_at: Date; end_at: Date }>(
    'SELECT start_at, end_at FROM slo_sli_points WHERE slo_key = $1 AND end_at > $2 AND start_at < $3 ORDER BY start_at, end_at',
    [sloKey, from, to],
  );
  if (stored.length === 0) return;
  const sorted = [...points].sort((a, b) => a.start.getTime() - b.start.getTime());
  const problems: Problem[] = [];
  // Both lists are sorted by start: sweep them together.
  let j = 0;
  for (const point of sorted) {
    while (j < stored.length && stored[j]!.end_at <= point.start) j++;
    for (let k = j; k < stored.length && stored[k]!.start_at < point.end; k++) {
      const other = stored[k]!;
      const same =
        other.start_at.getTime() === point.start.getTime() && other.end_at.getTime() === point.end.getTime();
      if (same || other.end_at <= point.start) continue;
      if (problems.length < MAX_CONFLICTS_SHOWN) {
        problems.push({
          severity: 'error',
          message: `${interval(point)} overlaps the stored point ${interval({ start: other.start_at, end: other.end_at })}: its events would count twice`,
          entityRef: `SLO ${sloId}`,
        });
      }
      break;
    }
  }
  if (problems.length > 0) {
    throw new ConflictError(
      `SLI points overlap points stored for ${sloId} with other intervals; send the same intervals to replace them`,
      problems,
    );
  }
}
