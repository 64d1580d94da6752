/**
 * CI health of a scope over a window: the one function behind `pave metrics ci` and
 * `GET /api/v1/metrics/ci`. Definitions: docs/metrics.md ("Delivery: CI health").
 *
 * - success rate = success / (success + failure); cancelled and skipped runs are counted apart;
 * - duration = finished - started, queue time = started - queued, where the source gives them;
 *   p50 and p95 interpolated, per pipeline (a pipeline is its name within its service or repository);
 * - a test is flaky on a commit when it both passed and failed (or errored) on that commit with the
 *   two results no more than 14 days apart. Among time-ordered results the closest pass/fail pair
 *   is always adjacent, so one window function (`lag`) finds every flaky test and commit;
 * - a test's flake rate = commits it flaked on / commits it passed or failed on; a pipeline's =
 *   runs with a failed result of a test flaky on that commit / runs with test results.
 * Pipeline runs belong to the service (`pave.dev/service`) or repository they name; test results
 * to the pipeline run they name. Results linked to no stored run count at org scope only.
 */
import { InputError } from '../core/errors.js';
import { DEFAULT_MIN_SAMPLE } from '../core/quantile.js';
import type { Store } from '../store/Store.js';
import type { CiPipeline, CiReport, FlakyTest } from './metricsModel.js';
import { resolveScope } from './scope.js';
import { registerServices } from './services.js';
import { Params, textList } from './sqlParams.js';

/** Days within which a pass and a failure of one test on one commit make it flaky. */
export const FLAKY_WINDOW_DAYS = 14;
const SLOWEST = 10;

/** What to compute. */
export interface CiOptions {
  scope?: string;
  from: Date;
  to: Date;
  minSample?: number;
  /** Flaky tests listed, flakiest first; default 50. */
  limit?: number;
}

/** The CI report of one scope and window. */
export async function computeCi(store: Store, options: CiOptions): Promise<CiReport> {
  if (!(options.from.getTime() < options.to.getTime())) throw new InputError('--from must be before --to');
  const minSample = options.minSample ?? DEFAULT_MIN_SAMPLE;
  const scope = await resolveScope(store, options.scope ?? 'org');
  // Runs name their service by a raw name: make sure each has a resolution to filter on.
  const names = await store.query<{ name: string }>(
    `SELECT DISTINCT coalesce(service, repository) AS name FROM delivery_pipeline_runs
      WHERE coalesce(service, repository) IS NOT NULL AND finished_at >= $1 AND finished_at < $2`,
    [options.from, options.to],
  );
  await registerServices(
    store,
    names.map((row) => row.name),
  );

  /** Runs of the window and scope, as a subquery. */
  const runs = (p: Params): string => {
    const scoped =
      scope.components === undefined
        ? ''
        : `AND coalesce(r.service, r.repository) IN (SELECT s.service FROM delivery_services s
             WHERE s.service_key IN (SELECT unnest(${p.add(textList(scope.components))}::text[])))`;
    return `SELECT r.* FROM delivery_pipeline_runs r
             WHERE r.finished_at >= ${p.add(options.from)} AND r.finished_at < ${p.add(options.to)} ${scoped}`;
  };

  const p = new Params();
  const pipelineRows = await store.query<{
    name: string;
    service: string | null;
    runs: number;
    success: number;
    failure: number;
    cancelled: number;
    skipped: number;
    durations: number;
    p50: number | null;
    p95: number | null;
    queues: number;
    q50: number | null;
  }>(
    `SELECT r.pipeline AS name, coalesce(r.service, r.repository) AS service, count(*) AS runs,
            count(*) FILTER (WHERE r.status = 'success') AS success,
            count(*) FILTER (WHERE r.status = 'failure') AS failure,
            count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
            count(*) FILTER (WHERE r.status = 'skipped') AS skipped,
            count(r.duration) AS durations,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY r.duration) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY r.duration) AS p95,
            count(r.queue) AS queues,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY r.queue) AS q50
       FROM (SELECT r.*,
                    CASE WHEN r.started_at <= r.finished_at
                         THEN extract(epoch FROM r.finished_at) - extract(epoch FROM r.started_at) END AS duration,
                    CASE WHEN r.queued_at <= r.started_at
                         THEN extract(epoch FROM r.started_at) - extract(epoch FROM r.queued_at) END AS queue
               FROM (${runs(p)}) r) r
      GROUP BY r.pipeline, coalesce(r.service, r.repository)
      ORDER BY r.pipeline, coalesce(r.service, r.repository)`,
    p.values,
  );

  /** Test results of the window and scope (pass, fail or error, on a known commit), as a subquery. */
  const results = (q: Params): string => {
    const scoped =
      scope.components === undefined ? '' : `AND t.pipeline_run_id IN (SELECT sr.id FROM (${runs(q)}) sr)`;
    return `SELECT t.test, t.suite, t.sha, t.status, t.run_at, t.pipeline_run_id FROM delivery_test_results t
             WHERE t.run_at >= ${q.add(options.from)} AND t.run_at < ${q.add(options.to)}
               AND t.sha IS NOT NULL AND t.status IN ('passed', 'failed', 'error') ${scoped}`;
  };
  const flakyCte = (q: Params): string => `
      t AS (${results(q)}),
      ordered AS (
        SELECT test, sha, status, run_at,
               lag(status) OVER (PARTITION BY test, sha ORDER BY run_at, status) AS previous_status,
               lag(run_at) OVER (PARTITION BY test, sha ORDER BY run_at, status) AS previous_at
          FROM t
      ),
      flaky AS (
        SELECT test, sha, max(run_at) AS flaked_at FROM ordered
         WHERE previous_status IS NOT NULL AND (previous_status = 'passed') <> (status = 'passed')
           AND extract(epoch FROM run_at) - extract(epoch FROM previous_at) <= ${FLAKY_WINDOW_DAYS * 86_400}
         GROUP BY test, sha
      )`;

  const q = new Params();
  const testRows = await store.query<{
    test: string;
    suite: string | null;
    tested: number;
    flaky: number;
    last: Date | null;
  }>(
    `WITH ${flakyCte(q)},
      tested AS (SELECT test, min(suite) AS suite, count(DISTINCT sha) AS tested FROM t GROUP BY test),
      flaked AS (SELECT test, count(*) AS flaky, max(flaked_at) AS last FROM flaky GROUP BY test)
     SELECT tested.test, tested.suite, tested.tested, flaked.flaky, flaked.last
       FROM tested JOIN flaked ON flaked.test = tested.test`,
    q.values,
  );

  const r = new Params();
  const runFlakes = await store.query<{
    name: string;
    service: string | null;
    tested: number;
    flaky: number;
  }>(
    `WITH ${flakyCte(r)},
      tested_runs AS (SELECT DISTINCT pipeline_run_id FROM t WHERE pipeline_run_id IS NOT NULL),
      flaky_runs AS (
        SELECT DISTINCT t.pipeline_run_id FROM t JOIN flaky f ON f.test = t.test AND f.sha = t.sha
         WHERE t.status <> 'passed' AND t.pipeline_run_id IS NOT NULL
      )
     SELECT pr.pipeline AS name, coalesce(pr.service, pr.repository) AS service, count(*) AS tested,
            count(fr.pipeline_run_id) AS flaky
       FROM tested_runs tr
       JOIN delivery_pipeline_runs pr ON pr.id = tr.pipeline_run_id
       LEFT JOIN flaky_runs fr ON fr.pipeline_run_id = tr.pipeline_run_id
      GROUP BY pr.pipeline, coalesce(pr.service, pr.repository)`,
    r.values,
  );
  const flakes = new Map(runFlakes.map((row) => [`${row.name}\u0000${row.service ?? ''}`, row]));

  const t = new Params();
  const totalsSql = `SELECT count(*) AS results FROM (${results(t)}) x`;
  const [totals] = await store.query<{ results: number }>(totalsSql, t.values);

  const pipelines: CiPipeline[] = pipelineRows.map((row) => {
    const judged = Number(row.success) + Number(row.failure);
    const durations = Number(row.durations);
    const flake = flakes.get(`${row.name}\u0000${row.service ?? ''}`);
    const tested = Number(flake?.tested ?? 0);
    return {
      name: row.name,
      service: row.service,
      runs: Number(row.runs),
      success: Number(row.success),
      failure: Number(row.failure),
      cancelled: Number(row.cancelled),
      skipped: Number(row.skipped),
      successRate: judged >= minSample ? Number(row.success) / judged : null,
      p50DurationSeconds: durations >= minSample && row.p50 !== null ? Number(row.p50) : null,
      p95DurationSeconds: durations >= minSample && row.p95 !== null ? Number(row.p95) : null,
      p50QueueSeconds: Number(row.queues) >= minSample && row.q50 !== null ? Number(row.q50) : null,
      flakeRate: tested >= minSample ? Number(flake?.flaky ?? 0) / tested : null,
      status: judged === 0 ? 'no_data' : judged < minSample ? 'insufficient_data' : 'ok',
    };
  });
  const flakyTests: FlakyTest[] = testRows
    .map((row) => ({
      test: row.test,
      suite: row.suite,
      commits: Number(row.flaky),
      testedCommits: Number(row.tested),
      flakeRate: Number(row.tested) >= minSample ? Number(row.flaky) / Number(row.tested) : null,
      lastFlakedAt: row.last ? row.last.toISOString() : null,
    }))
    .sort(
      (a, b) =>
        (b.flakeRate ?? -1) - (a.flakeRate ?? -1) || b.commits - a.commits || a.test.localeCompare(b.test),
    );
  const success = pipelines.reduce((sum, pipeline) => sum + pipeline.success, 0);
  const failure = pipelines.reduce((sum, pipeline) => sum + pipeline.failure, 0);
  return {
    scope: scope.scope,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    minSample,
    totals: {
      runs: pipelines.reduce((sum, pipeline) => sum + pipeline.runs, 0),
      successRate: success + failure >= minSample ? success / (success + failure) : null,
      testResults: Number(totals?.results ?? 0),
      flakyTests: flakyTests.length,
    },
    pipelines,
    slowest: pipelines
      .filter((pipeline) => pipeline.p95DurationSeconds !== null)
      .sort((a, b) => (b.p95DurationSeconds ?? 0) - (a.p95DurationSeconds ?? 0))
      .slice(0, SLOWEST),
    flakyTests: flakyTests.slice(0, options.limit ?? 50),
  };
}
