import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { doraTable } from './doraTable.js';
import { explainDeployment } from './explainDeployment.js';
import { storeRecords } from './ingestRecords.js';
import { computeDora } from './metrics.js';
import { emptyRecords } from './model.js';
import {
  commit,
  deployment,
  fakeIncidents,
  importTestCatalog,
  incident,
  march,
  openDeliveryStore,
  sha,
} from './testing/deliveryStore.js';

const window = { from: new Date(march(4, 0)), to: new Date(march(11, 0)) };

/**
 * One week of checkout (4-10 March 2024), hand-computed:
 * - d1 ships c1, c2; d2 ships c3; d3 ships c4; d4 restores d2's sha (d3 failed, recovered in 2 h);
 *   d5 ships c5 and c6 (c4 was already shipped by d3 and counts once, there);
 * - lead times (committed): c1 3 h, c2 2 h, c3 4 h, c4 4 h, c5 6 h, c6 5 h;
 * - incident I1 starts 3 h after d2 (rule: d2 failed, mitigated 1 h later: 4 h);
 * - incident I3 names checkout and ledger: it goes to d5 alone, the most recent (never two);
 * - incident I2 names ledger, whose last deployment is two months old: attributed to nothing.
 */
function history() {
  const records = emptyRecords();
  records.commits.push(
    commit(sha('c0'), undefined, march(1, 8)),
    commit(sha('c1'), sha('c0'), march(4, 9)),
    commit(sha('c2'), sha('c1'), march(4, 10)),
    commit(sha('c3'), sha('c2'), march(5, 8), { authoredAt: march(5, 7) }),
    commit(sha('c4'), sha('c3'), march(6, 8)),
    commit(sha('c5'), sha('c4'), march(7, 6)),
    commit(sha('c6'), sha('c5'), march(7, 7)),
  );
  records.pullRequests.push(
    {
      id: 'github:pr:1',
      repository: 'acme/checkout',
      firstCommitAt: march(4, 7),
      createdAt: march(4, 8),
      firstReviewAt: march(4, 10, 30),
      mergedAt: march(4, 11),
      mergeCommitSha: sha('c2'),
      headSha: sha('c1'),
      source: 'github',
    },
    {
      id: 'github:pr:2',
      repository: 'acme/checkout',
      createdAt: march(7, 6, 30),
      mergedAt: march(7, 11, 30),
      mergeCommitSha: sha('c6'),
      headSha: sha('c5'),
      source: 'github',
    },
  );
  records.deployments.push(
    deployment('d0', 'acme/checkout', march(1, 12), { sha: sha('c0') }),
    deployment('d1', 'acme/checkout', march(4, 12), { sha: sha('c2') }),
    deployment('d2', 'component:default/checkout', march(5, 12), { sha: sha('c3') }),
    deployment('d3', 'checkout', march(6, 12), { sha: sha('c4') }),
    deployment('d4', 'acme/checkout', march(6, 14), { sha: sha('c3') }),
    deployment('d5', 'acme/checkout', march(7, 12), { sha: sha('c6') }),
    deployment('staging', 'acme/checkout', march(7, 11), { sha: sha('c6'), environment: 'staging' }),
    deployment('failed-deploy', 'acme/checkout', march(7, 13), { sha: sha('c6'), status: 'failure' }),
    deployment('l0', 'acme/ledger', '2024-01-02T12:00:00.000Z'),
    deployment('l1', 'acme/ledger', march(7, 10)),
    deployment('m1', 'mystery-service', march(8, 10)),
  );
  return records;
}

const incidents = fakeIncidents([
  incident({
    id: 'I1',
    startedAt: new Date(march(5, 15)),
    mitigatedAt: new Date(march(5, 16)),
    resolvedAt: new Date(march(5, 18)),
    services: ['component:default/checkout'],
  }),
  incident({ id: 'I2', startedAt: new Date(march(9, 9)), services: ['component:default/ledger'] }),
  incident({
    id: 'I3',
    startedAt: new Date(march(7, 13)),
    resolvedAt: new Date(march(7, 15)),
    services: ['component:default/checkout', 'component:default/ledger'],
  }),
]);

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`computeDora on ${factory.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openDeliveryStore(factory);
      await importTestCatalog(store);
      await storeRecords(store, history());
    });
    afterAll(async () => store?.close());

    it('computes the five metrics of one service by hand', async () => {
      const report = await computeDora(store, { scope: 'service:checkout', ...window, incidents });
      expect(report.scope).toBe('service:component:default/checkout');
      expect(report.deploymentFrequency).toMatchObject({
        deployments: 5,
        deployDays: 4,
        services: 1,
        perWeek: 5,
        perServicePerWeek: 5,
        tier: 'high',
      });
      expect(report.leadTime).toEqual({
        n: 6,
        p50Seconds: 14_400,
        p75Seconds: 17_100,
        p90Seconds: 19_800,
        tier: 'elite',
        status: 'ok',
      });
      expect(report.changeFailureRate).toMatchObject({
        deployments: 5,
        failed: 3,
        rate: 0.6,
        byRollback: 1,
        byIncident: 2,
        tier: 'low',
      });
      expect(report.recoveryTime).toMatchObject({
        n: 3,
        open: 0,
        p50Seconds: null,
        status: 'insufficient_data',
      });
      expect(report.reworkRate).toEqual({ deployments: 5, rework: 1, rate: 0.2, status: 'ok' });
      // I2 names ledger, not checkout: it is not this scope's unattributed incident.
      expect(report.incidents).toMatchObject({ attributed: 2, unattributed: 0 });
      expect(report.unattributed).toBeNull();
      expect(report.components).toBe(1);
    });

    it('counts a team with its child team and the components its members own', async () => {
      const report = await computeDora(store, { scope: 'team:payments', ...window, incidents });
      expect(report.components).toBe(3); // checkout, ledger (payments-core), legacy (owned by jane)
      expect(report.deploymentFrequency).toMatchObject({
        deployments: 6,
        services: 2,
        perWeek: 6,
        perServicePerWeek: 3,
      });
      // I3 named checkout and ledger: it failed d5 only, never ledger's l1 as well.
      expect(report.changeFailureRate).toMatchObject({ deployments: 6, failed: 3, rate: 0.5 });
      expect(report.incidents).toMatchObject({ attributed: 2, unattributed: 1 });
      const search = await computeDora(store, { scope: 'team:search', ...window, incidents });
      expect(search.deploymentFrequency).toMatchObject({ deployments: 0, status: 'no_data', tier: null });
      expect(search.leadTime).toMatchObject({ n: 0, p50Seconds: null, status: 'no_data' });
    });

    it('counts unresolved services at org scope only, as unattributed', async () => {
      const report = await computeDora(store, { ...window, incidents });
      expect(report.scope).toBe('org');
      expect(report.deploymentFrequency.deployments).toBe(7);
      expect(report.unattributed).toEqual({ deployments: 1 });
      const system = await computeDora(store, { scope: 'system:shop', ...window, incidents });
      const domain = await computeDora(store, { scope: 'domain:commerce', ...window, incidents });
      expect(system.deploymentFrequency.deployments).toBe(6);
      expect(domain.deploymentFrequency.deployments).toBe(6);
    });

    it('measures lead time from the author date or the pull request merge when asked', async () => {
      const authored = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        incidents,
        leadTimeFrom: 'authored',
      });
      expect(authored.leadTime.p50Seconds).toBe(16_200);
      const merged = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        incidents,
        leadTimeFrom: 'merged',
      });
      expect(merged.leadTime).toMatchObject({
        n: 6,
        p50Seconds: 3600,
        p75Seconds: 11_700,
        p90Seconds: 14_400,
      });
    });

    it('breaks pull requests down into coding, pickup, review and deploy', async () => {
      const report = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        incidents,
        minSample: 1,
      });
      expect(report.pullRequests).toEqual({
        n: 2,
        coding: { n: 2, p50Seconds: 2700 },
        pickup: { n: 1, p50Seconds: 9000 },
        review: { n: 1, p50Seconds: 1800 },
        deploy: { n: 2, p50Seconds: 2700 },
      });
      expect(report.recoveryTime).toMatchObject({ n: 3, p50Seconds: 10_800, tier: 'high', status: 'ok' });
    });

    it('buckets by ISO week in UTC or in a time zone', async () => {
      const utc = await computeDora(store, {
        scope: 'service:checkout',
        from: new Date(march(1, 0)),
        to: window.to,
        bucket: 'week',
        incidents,
      });
      expect(utc.buckets.map((b) => [b.start, b.deploymentFrequency.deployments])).toEqual([
        ['2024-02-26T00:00:00.000Z', 1],
        ['2024-03-04T00:00:00.000Z', 5],
      ]);
      // The first bucket covers 1-4 March only: 1 deployment in 3 days.
      expect(utc.buckets[0]!.deploymentFrequency.perWeek).toBeCloseTo(7 / 3, 10);
      expect(utc.deploymentFrequency.deployments).toBe(6);
      const auckland = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        bucket: 'week',
        timezone: 'Pacific/Auckland',
        incidents,
      });
      expect(auckland.buckets.map((b) => [b.start, b.deploymentFrequency.deployments])).toEqual([
        ['2024-03-03T11:00:00.000Z', 5],
        ['2024-03-10T11:00:00.000Z', 0],
      ]);
      // The table and CSV name each bucket by its first day in the report's time zone: Mondays.
      expect(doraTable(auckland).rows.map((row) => row.start)).toEqual(['2024-03-04', '2024-03-11']);
      const months = await computeDora(store, { ...window, bucket: 'month', incidents });
      expect(months.buckets.map((b) => [b.start, b.deploymentFrequency.deployments])).toEqual([
        ['2024-03-01T00:00:00.000Z', months.deploymentFrequency.deployments],
      ]);
      expect(months.deploymentFrequency.deployments).toBeGreaterThan(0);
      expect(months.buckets[0]!.leadTime.n).toBe(months.leadTime.n);
    });

    it('counts failures not yet recovered as open and lists them, never averaging them in', async () => {
      const stillOpen = fakeIncidents([
        incident({ id: 'I1', startedAt: new Date(march(5, 15)), services: ['component:default/checkout'] }),
        // d3 was rolled back at 14:00: an open incident blamed on it does not reopen it.
        incident({ id: 'I4', startedAt: new Date(march(6, 13)), services: ['component:default/checkout'] }),
      ]);
      const report = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        incidents: stillOpen,
        minSample: 1,
      });
      expect(report.changeFailureRate).toMatchObject({ failed: 2, byRollback: 1, byIncident: 1 });
      expect(report.recoveryTime).toMatchObject({
        n: 1,
        open: 1,
        p50Seconds: 7200,
        openDeployments: ['d2'],
        status: 'ok',
      });
      const d2 = await explainDeployment(store, 'd2', { incidents: stillOpen });
      expect(d2.recovery).toEqual({ recoveredAt: null, seconds: null, by: null });
      const d3 = await explainDeployment(store, 'd3', { incidents: stillOpen });
      expect(d3.failureReasons.map((reason) => [reason.kind, reason.by])).toEqual([
        ['restored', 'd4'],
        ['incident', 'I4'],
      ]);
      expect(d3.recovery).toEqual({ recoveredAt: march(6, 14), seconds: 7200, by: 'd4' });
    });

    it('counts the environments --env names instead of production', async () => {
      const report = await computeDora(store, {
        scope: 'service:checkout',
        ...window,
        environments: ['staging'],
        incidents,
      });
      expect(report.environments).toEqual(['staging']);
      expect(report.deploymentFrequency.deployments).toBe(1);
      expect(report.leadTime.n).toBe(0); // the first staging deployment is the baseline
    });

    it('explains a deployment: its changes, and the rollback that failed it', async () => {
      const d3 = await explainDeployment(store, 'd3', { incidents });
      expect(d3).toMatchObject({
        counted: true,
        baseline: false,
        previous: { id: 'd2', sha: sha('c3') },
        failed: true,
        failure: 'failed: deployment d4 restored the sha of the deployment before it',
        recovery: { seconds: 7200, by: 'd4' },
        rework: false,
      });
      expect(d3.changes).toEqual({
        total: 1,
        list: [
          {
            sha: sha('c4'),
            committedAt: march(6, 8),
            authoredAt: march(6, 8),
            leadSeconds: 14_400,
            pullRequest: null,
          },
        ],
        truncated: false,
      });
      expect(d3.service).toEqual({
        name: 'checkout',
        key: 'component:default/checkout',
        resolved: true,
        rule: 'name',
      });
    });

    it('explains which incident failed a deployment, and where an incident near it went instead', async () => {
      const d2 = await explainDeployment(store, 'd2', { incidents });
      expect(d2.failureReasons).toEqual([
        { kind: 'incident', by: 'I1', rule: 'window', at: march(5, 15), recoveredAt: march(5, 16) },
      ]);
      expect(d2.recovery).toEqual({ recoveredAt: march(5, 16), seconds: 14_400, by: 'I1' });
      const l1 = await explainDeployment(store, 'l1', { incidents });
      expect(l1.failed).toBe(false);
      expect(l1.nearbyIncidents).toEqual([
        { id: 'I3', startedAt: march(7, 13), attributedTo: 'd5', rule: 'window' },
      ]);
      expect(l1.failure).toContain('incident I3 went to d5');
      const d4 = await explainDeployment(store, 'd4', { incidents });
      expect(d4).toMatchObject({
        rework: true,
        reworkReason: 'rollback (restores an earlier sha)',
        changes: { total: 0 },
      });
    });

    it('explains why a deployment does not count', async () => {
      expect(await explainDeployment(store, 'staging', { incidents })).toMatchObject({
        counted: false,
        reason: 'environment "staging" is not a production environment (prod, production)',
      });
      expect((await explainDeployment(store, 'failed-deploy', { incidents })).reason).toBe(
        'its status is failure: only successful deployments count',
      );
      expect(await explainDeployment(store, 'd0', { incidents })).toMatchObject({
        counted: true,
        baseline: true,
      });
      const mystery = await explainDeployment(store, 'm1', { incidents });
      expect(mystery.service.resolved).toBe(false);
      expect(mystery.warnings[0]).toMatch(/matches no catalog component/);
      await expect(explainDeployment(store, 'nope', { incidents })).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
