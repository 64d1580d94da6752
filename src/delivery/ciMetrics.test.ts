import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { computeCi } from './ciMetrics.js';
import { storeRecords } from './ingestRecords.js';
import { emptyRecords, type PipelineRun, type TestCaseResult, type TestStatus } from './model.js';
import { importTestCatalog, march, openDeliveryStore, sha } from './testing/deliveryStore.js';

const window = { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') };

function run(
  id: string,
  status: PipelineRun['status'],
  minute: number,
  seconds: number | undefined,
): PipelineRun {
  const started = new Date(march(4, 10, minute));
  const record: PipelineRun = {
    id,
    pipeline: 'build',
    service: 'component:default/checkout',
    status,
    finishedAt: new Date(started.getTime() + (seconds ?? 0) * 1000).toISOString(),
    source: 'cdevents',
  };
  if (seconds !== undefined) {
    record.startedAt = started.toISOString();
    record.queuedAt = new Date(started.getTime() - 30_000).toISOString();
  }
  return record;
}

function result(
  id: string,
  test: string,
  commit: string,
  status: TestStatus,
  at: string,
  runId: string,
): TestCaseResult {
  return { id, test, sha: sha(commit), status, at, pipelineRunId: runId, source: 'junit' };
}

/**
 * Hand-computed: checkout's `build` ran 7 times (4 success, 1 failure, 1 cancelled, 1 skipped):
 * success rate 4/5; durations 60..360 s (p50 210, p95 345); queue 30 s.
 * Test A passed then failed on s1 a day apart (flaky), failed then passed on s2 20 days apart (not
 * flaky: more than 14 days); test C failed and passed in one re-run on s3 (flaky); test B always
 * passed. Runs with test results: r1..r5; with a failure of a test flaky on that commit: r2, r5.
 */
function history() {
  const records = emptyRecords();
  records.pipelineRuns.push(
    run('r1', 'success', 0, 60),
    run('r2', 'failure', 10, 120),
    run('r3', 'success', 20, 180),
    run('r4', 'success', 30, 240),
    run('r5', 'success', 40, 300),
    run('r6', 'cancelled', 50, 360),
    run('r7', 'skipped', 55, undefined),
    { ...run('other', 'success', 0, 30), pipeline: 'deploy', service: 'component:default/search' },
  );
  records.testCaseResults.push(
    result('t1', 'A', 's1', 'passed', march(4, 10), 'r1'),
    result('t2', 'B', 's1', 'passed', march(4, 10), 'r1'),
    result('t3', 'A', 's1', 'failed', march(5, 10), 'r2'),
    result('t4', 'A', 's2', 'failed', march(6, 10), 'r3'),
    result('t5', 'A', 's2', 'passed', march(26, 10), 'r4'),
    result('t6', 'B', 's2', 'passed', march(26, 10), 'r4'),
    { ...result('t7', 'C', 's3', 'failed', march(7, 10), 'r5'), attempt: 1 },
    { ...result('t8', 'C', 's3', 'passed', march(7, 10), 'r5'), attempt: 2 },
  );
  return records;
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`computeCi on ${factory.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openDeliveryStore(factory);
      await importTestCatalog(store);
      await storeRecords(store, history());
    });
    afterAll(async () => store?.close());

    it('computes success rate, durations, queue time and flake rates by hand', async () => {
      const report = await computeCi(store, { ...window, scope: 'service:checkout', minSample: 1 });
      expect(report.pipelines).toEqual([
        {
          name: 'build',
          service: 'component:default/checkout',
          runs: 7,
          success: 4,
          failure: 1,
          cancelled: 1,
          skipped: 1,
          successRate: 0.8,
          p50DurationSeconds: 210,
          p95DurationSeconds: 345,
          p50QueueSeconds: 30,
          flakeRate: 0.4,
          status: 'ok',
        },
      ]);
      expect(report.flakyTests).toEqual([
        { test: 'C', suite: null, commits: 1, testedCommits: 1, flakeRate: 1, lastFlakedAt: march(7, 10) },
        { test: 'A', suite: null, commits: 1, testedCommits: 2, flakeRate: 0.5, lastFlakedAt: march(5, 10) },
      ]);
      expect(report.totals).toEqual({ runs: 7, successRate: 0.8, testResults: 8, flakyTests: 2 });
      expect(report.slowest.map((p) => p.name)).toEqual(['build']);
    });

    it('reports null below the minimum sample, and scopes by the runs the results belong to', async () => {
      const report = await computeCi(store, { ...window, scope: 'service:checkout' });
      expect(report.flakyTests.map((t) => [t.test, t.flakeRate])).toEqual([
        ['A', null],
        ['C', null],
      ]);
      const search = await computeCi(store, { ...window, scope: 'team:search', minSample: 1 });
      expect(search.pipelines.map((p) => [p.name, p.runs])).toEqual([['deploy', 1]]);
      expect(search.flakyTests).toEqual([]);
      const org = await computeCi(store, { ...window, minSample: 1 });
      expect(org.totals.runs).toBe(8);
    });
  });
}
