import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { tempFolder } from '../core/testing/tempFiles.js';
import type { Store } from '../store/Store.js';
import { testStores } from '../store/testing/testStores.js';
import { explainDeployment } from './explainDeployment.js';
import { parseCdevents } from './ingest/cdevents.js';
import { parseGitHubWebhook } from './ingest/github.js';
import { ingestResult, storeRecords } from './ingestRecords.js';
import {
  ingestCdeventsFile,
  ingestCdeventsFiles,
  ingestCdeventsText,
  ingestGitRepository,
  ingestJUnitFiles,
} from './ingestSources.js';
import { computeDora } from './metrics.js';
import { emptyRecords } from './model.js';
import {
  commit,
  deployment,
  fakeIncidents,
  importTestCatalog,
  march,
  openDeliveryStore,
  sha,
} from './testing/deliveryStore.js';
import { fixturePath } from './testing/records.js';

const conformance = fixturePath('cdevents', 'conformance');
const github = fixturePath('github-webhooks', 'payload-examples', 'api.github.com');
const noIncidents = fakeIncidents([]);

async function count(store: Store, table: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

/** Every conformance example as one JSON array. */
function conformanceArray(): string {
  const events = readdirSync(conformance)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(conformance, file), 'utf8')));
  return JSON.stringify(events);
}

function githubBody(event: string, file: string): string {
  return readFileSync(path.join(github, event, file), 'utf8');
}

for (const factory of testStores()) {
  describe.skipIf(factory.unavailable !== undefined)(`ingest into ${factory.engine}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openDeliveryStore(factory);
    });
    afterEach(async () => store?.close());

    it('stores every CDEvents conformance example, the unused ones raw, and changes nothing the second time', async () => {
      const text = conformanceArray();
      const parsed = parseCdevents(text);
      const first = await ingestCdeventsText(store, text, { file: 'conformance.json' });
      expect(first.problems).toEqual([]);
      expect(first.stored).toEqual(
        Object.fromEntries(
          Object.entries(parsed.records)
            .filter(([, list]) => list.length > 0)
            .map(([table, list]) => [table, list.length]),
        ),
      );
      expect(await count(store, 'delivery_deployments')).toBe(parsed.records.deployments.length);
      expect(await count(store, 'delivery_raw_events')).toBe(
        first.unused.reduce((sum, u) => sum + u.count, 0),
      );
      const types = await store.query<{ type: string }>('SELECT type FROM delivery_raw_events ORDER BY type');
      expect(types.map((row) => row.type)).toContain('dev.cdevents.artifact.packaged.0.3.0');
      expect(types.map((row) => row.type)).not.toContain('dev.cdevents.service.deployed.0.3.0');

      const again = await ingestCdeventsText(store, text, { file: 'conformance.json' });
      expect(again.stored).toEqual({});
      expect(again.unchanged).toBe(Object.values(parsed.records).reduce((sum, list) => sum + list.length, 0));
    });

    it('merges a GitHub deployment and its status in either order; a retry or a late in_progress changes nothing', async () => {
      const deploymentBody = githubBody('deployment', 'payload.json');
      const statusBody = githubBody('deployment_status', 'payload.json');
      const ingest = (event: string, body: string, deliveryId: string) =>
        ingestResult(store, parseGitHubWebhook({ event, deliveryId, body }));

      await ingest('deployment_status', statusBody, 'a2');
      await ingest('deployment', deploymentBody, 'a1');
      const [outOfOrder] = await store.query<{ status: string; started_at: Date; finished_at: Date }>(
        'SELECT status, started_at, finished_at FROM delivery_deployments',
      );
      expect(outOfOrder).toMatchObject({ status: 'success' });
      expect(outOfOrder!.started_at.toISOString()).toBe('2019-05-15T15:20:53.000Z');
      expect(outOfOrder!.finished_at.toISOString()).toBe(
        JSON.parse(statusBody).deployment_status.created_at.replace(/Z$/, '.000Z'),
      );

      const retry = await ingest('deployment_status', statusBody, 'a2');
      expect(retry.stored).toEqual({});
      expect(retry.unchanged).toBe(1);

      const late = JSON.parse(statusBody);
      late.deployment_status.state = 'in_progress';
      late.deployment_status.created_at = '2019-05-15T15:20:54Z';
      const lateReport = await ingest('deployment_status', JSON.stringify(late), 'a3');
      expect(lateReport.stored).toEqual({});
      const [after] = await store.query<{ status: string }>('SELECT status FROM delivery_deployments');
      expect(after!.status).toBe('success');
    });

    it('keeps the first GitHub review of a pull request whether it arrives before or after the merge', async () => {
      const closed = JSON.parse(githubBody('pull_request', 'closed.payload.json'));
      const merged = {
        ...closed,
        pull_request: { ...closed.pull_request, merged: true, merged_at: '2019-05-15T15:30:00Z' },
      };
      const review = (at: string) => ({
        action: 'submitted',
        review: { id: 1, user: { id: 99 }, state: 'commented', submitted_at: at },
        pull_request: closed.pull_request,
        repository: closed.repository,
      });
      const ingest = (event: string, body: unknown) =>
        ingestResult(store, parseGitHubWebhook({ event, body }));
      await ingest('pull_request_review', review('2019-05-15T15:25:00Z'));
      await ingest('pull_request', merged);
      await ingest('pull_request_review', review('2019-05-15T15:22:00Z'));
      const [row] = await store.query<{ first_review_at: Date; merged_at: Date; created_at: Date }>(
        'SELECT first_review_at, merged_at, created_at FROM delivery_pull_requests',
      );
      expect(row!.first_review_at.toISOString()).toBe('2019-05-15T15:22:00.000Z');
      expect(row!.merged_at.toISOString()).toBe('2019-05-15T15:30:00.000Z');
      expect(row!.created_at.toISOString()).toBe('2019-05-15T15:20:33.000Z');
    });

    it('keeps the valid events of an NDJSON file, locates the bad ones by line and pointer, and with --atomic stores none', async () => {
      const folder = tempFolder({}, 'pave-ndjson-');
      const file = path.join(folder, 'events.ndjson');
      const event = (id: string, type: string, content: Record<string, unknown>) =>
        JSON.stringify({
          context: { specversion: '0.4.1', id, source: '/ci', type, timestamp: '2024-03-04T12:00:00Z' },
          subject: { id: `s-${id}`, source: '/ci', content },
        });
      writeFileSync(
        file,
        [
          event('1', 'dev.cdevents.service.deployed.0.1.1', { environment: { id: 'production' } }),
          '{"context": {',
          event('3', 'dev.cdevents.service.deployed.0.1.1', {}),
          event('4', 'dev.cdevents.pipelinerun.finished.0.1.1', {
            pipelineName: 'build',
            outcome: 'success',
          }),
        ].join('\n'),
      );
      const report = await ingestCdeventsFile(store, file, { batchSize: 2 });
      expect(report.events).toBe(4);
      expect(report.stored).toEqual({ deployments: 1, pipelineRuns: 1 });
      expect(report.problems.map((p) => [p.severity, p.location?.line, p.location?.pointer])).toEqual([
        ['error', 2, undefined],
        ['error', 3, '/subject/content/environment'],
      ]);
      expect(report.problems[0]!.message).toMatch(/^invalid JSON: /);
      expect(report.problems[0]!.location?.column).toBeGreaterThan(1);

      const atomicStore = await openDeliveryStore(factory);
      try {
        await expect(ingestCdeventsFile(atomicStore, file, { atomic: true })).rejects.toBeInstanceOf(
          InputError,
        );
        expect(await count(atomicStore, 'delivery_deployments')).toBe(0);
        expect(await count(atomicStore, 'delivery_pipeline_runs')).toBe(0);

        // Several files: a bad last file keeps the valid first one out too.
        const good = path.join(folder, 'good.json');
        writeFileSync(
          good,
          event('5', 'dev.cdevents.service.deployed.0.1.1', { environment: { id: 'prod' } }),
        );
        const thrown = await ingestCdeventsFiles(atomicStore, [good, file], { atomic: true }).catch((e) => e);
        expect(thrown).toBeInstanceOf(InputError);
        expect((thrown as InputError).message).toBe('2 errors in 2 files; nothing was ingested (atomic)');
        expect(await count(atomicStore, 'delivery_deployments')).toBe(0);
        const both = await ingestCdeventsFiles(atomicStore, [good, good], { atomic: true });
        expect(both).toMatchObject({ events: 2, stored: { deployments: 1 }, unchanged: 1 });
      } finally {
        await atomicStore.close();
      }
    });

    it('attributes commits that arrive after their deployment, and services the catalog names later', async () => {
      const records = emptyRecords();
      records.deployments.push(
        deployment('d0', 'acme/checkout', march(4, 8), { sha: sha('c0'), repository: 'acme/checkout' }),
        deployment('d1', 'acme/checkout', march(4, 12), { sha: sha('c2'), repository: 'acme/checkout' }),
      );
      await storeRecords(store, records);
      const window = { from: new Date(march(4, 0)), to: new Date(march(5, 0)), incidents: noIncidents };
      const before = await computeDora(store, window);
      // d1's commit is not known yet: one change with no time, so no lead time.
      expect(before.leadTime.n).toBe(0);
      expect(before.unattributed).toEqual({ deployments: 2 });

      const commits = emptyRecords();
      commits.commits.push(
        commit(sha('c0'), undefined, march(4, 7)),
        commit(sha('c1'), sha('c0'), march(4, 9)),
        commit(sha('c2'), sha('c1'), march(4, 10)),
      );
      await storeRecords(store, commits);
      await importTestCatalog(store);
      const after = await computeDora(store, { ...window, scope: 'service:checkout', minSample: 1 });
      expect(after.leadTime).toMatchObject({ n: 2, p50Seconds: 9000 });
      expect(after.deploymentFrequency.deployments).toBe(2);
      const org = await computeDora(store, window);
      expect(org.unattributed).toEqual({ deployments: 0 });
    });

    it('turns CDEvents incident events into incidents that fail a deployment, resolved before detected', async () => {
      await importTestCatalog(store);
      const event = (id: string, type: string, timestamp: string, content: Record<string, unknown>) =>
        JSON.stringify({
          context: { specversion: '0.4.1', id, source: '/monitoring', type, timestamp },
          subject: { id: 'incident-7', source: '/monitoring', content },
        });
      const deployed = JSON.stringify({
        context: {
          specversion: '0.4.1',
          id: 'deploy-1',
          source: '/cd',
          type: 'dev.cdevents.service.deployed.0.1.1',
          timestamp: march(5, 12),
        },
        subject: { id: 'checkout', source: '/cd', content: { environment: { id: 'production' } } },
      });
      const incident = { environment: { id: 'production' }, service: { id: 'checkout' } };
      // The resolution arrives first, in its own batch; the detection later.
      await ingestCdeventsText(
        store,
        [deployed, event('e2', 'dev.cdevents.incident.resolved.0.1.0', march(5, 16), incident)].join('\n'),
      );
      const window = { from: new Date(march(4, 0)), to: new Date(march(11, 0)), minSample: 1 };
      const report = await ingestCdeventsText(
        store,
        event('e1', 'dev.cdevents.incident.detected.0.1.0', march(5, 14), incident),
      );
      expect(report.problems).toEqual([]);
      const dora = await computeDora(store, { ...window, scope: 'service:checkout' });
      expect(dora.changeFailureRate).toMatchObject({ deployments: 1, failed: 1, byIncident: 1 });
      // Recovered at the resolution, 4 h after the deployment finished; the start is the detection.
      expect(dora.recoveryTime).toMatchObject({ n: 1, open: 0, p50Seconds: 14_400 });
      const explained = await explainDeployment(store, 'cdevents:service.deployed:/cd:deploy-1');
      expect(explained.failureReasons).toEqual([
        {
          kind: 'incident',
          by: 'cdevents:/monitoring/incident-7',
          rule: 'window',
          at: march(5, 14),
          recoveredAt: march(5, 16),
        },
      ]);
    });

    it('attributes without a git graph from push commit lists', async () => {
      // The fixture push (one commit), extended to two pushes of several commits on main.
      const fixture = JSON.parse(githubBody('push', 'with-new-branch.payload.json'));
      const repository = fixture.repository.full_name as string;
      const push = (before: string, ids: string[], hour: number) => ({
        ...fixture,
        ref: 'refs/heads/main',
        created: false,
        before,
        after: ids[ids.length - 1],
        commits: ids.map((id, i) => ({ ...fixture.commits[0], id, timestamp: march(4, hour, i) })),
      });
      const deployments = emptyRecords();
      deployments.deployments.push(
        deployment('gh0', repository, march(4, 7), { sha: sha('b0'), repository }),
        deployment('gh1', repository, march(4, 12), { sha: sha('p3'), repository }),
        deployment('gh2', repository, march(4, 16), { sha: sha('p5'), repository }),
      );
      await storeRecords(store, deployments);
      const pushes = [
        push(sha('b0'), [sha('p1'), sha('p2'), sha('p3')], 9),
        push(sha('p3'), [sha('p4'), sha('p5')], 14),
      ];
      for (const [i, body] of pushes.entries()) {
        const report = await ingestResult(
          store,
          parseGitHubWebhook({ event: 'push', deliveryId: `push-${i}`, body: JSON.stringify(body) }),
        );
        expect(report.problems).toEqual([]);
      }
      const first = await explainDeployment(store, 'gh1', { incidents: noIncidents });
      expect(first.changes.list.map((change) => change.sha).sort()).toEqual([
        sha('p1'),
        sha('p2'),
        sha('p3'),
      ]);
      expect(first.changes.list.map((change) => change.leadSeconds).sort()).toEqual([10_680, 10_740, 10_800]);
      const second = await explainDeployment(store, 'gh2', { incidents: noIncidents });
      expect(second.changes.list.map((change) => change.sha).sort()).toEqual([sha('p4'), sha('p5')]);
      expect(second.previous?.id).toBe('gh1');
    });

    it('reads a git repository: commits, and tags as production deployments', async () => {
      await importTestCatalog(store);
      const repo = tempFolder({}, 'pave-git-');
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', repo, ...args], {
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'a',
            GIT_AUTHOR_EMAIL: 'a@example.com',
            GIT_COMMITTER_NAME: 'a',
            GIT_COMMITTER_EMAIL: 'a@example.com',
          },
        }).toString();
      git('init', '-q', '-b', 'main');
      const commitAt = (message: string, date: string) => {
        writeFileSync(path.join(repo, 'file.txt'), message);
        git('add', 'file.txt');
        execFileSync('git', ['-C', repo, 'commit', '-q', '-m', message], {
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'a',
            GIT_AUTHOR_EMAIL: 'a@example.com',
            GIT_COMMITTER_NAME: 'a',
            GIT_COMMITTER_EMAIL: 'a@example.com',
            GIT_AUTHOR_DATE: date,
            GIT_COMMITTER_DATE: date,
          },
        });
      };
      commitAt('one', '2024-03-04T08:00:00Z');
      execFileSync('git', ['-C', repo, 'tag', 'v1'], {
        env: { ...process.env, GIT_COMMITTER_DATE: '2024-03-04T09:00:00Z' },
      });
      commitAt('two', '2024-03-05T08:00:00Z');
      commitAt('three', '2024-03-05T10:00:00Z');
      execFileSync('git', ['-C', repo, 'tag', 'v2'], {
        env: { ...process.env, GIT_COMMITTER_DATE: '2024-03-05T12:00:00Z' },
      });
      const report = await ingestGitRepository(store, repo, {
        service: 'component:default/checkout',
        deployTags: 'v*',
      });
      expect(report.stored).toEqual({ commits: 3, deployments: 2 });
      const dora = await computeDora(store, {
        scope: 'service:checkout',
        from: new Date(march(4, 0)),
        to: new Date(march(6, 0)),
        minSample: 1,
        incidents: noIncidents,
      });
      // v1 is the baseline; v2 (a lightweight tag: dated by its commit, 10:00) ships two and three.
      expect(dora.deploymentFrequency.deployments).toBe(2);
      expect(dora.leadTime).toMatchObject({ n: 2, p50Seconds: 3600 });
      const again = await ingestGitRepository(store, repo, {
        service: 'component:default/checkout',
        deployTags: 'v*',
      });
      expect(again.stored).toEqual({});
    });

    it('stores JUnit reports, keeping re-runs as attempts, and checks every file first with --atomic', async () => {
      const folder = tempFolder({}, 'pave-junit-');
      const good = path.join(folder, 'good.xml');
      const bad = path.join(folder, 'bad.xml');
      writeFileSync(
        good,
        `<?xml version="1.0"?>
<testsuite name="checkout" timestamp="2024-03-04T10:00:00">
  <testcase classname="CartTest" name="adds" time="0.5"/>
  <testcase classname="CartTest" name="pays" time="1.5">
    <flakyFailure message="timeout"/>
  </testcase>
</testsuite>`,
      );
      writeFileSync(bad, '<testsuite name="x">\n  <testcase name="a">\n</testsuite>');
      await expect(
        ingestJUnitFiles(store, [good, bad], { atomic: true, sha: sha('c1'), pipelineRunId: 'run-1' }),
      ).rejects.toMatchObject({
        problems: [expect.objectContaining({ location: expect.objectContaining({ file: bad, line: 3 }) })],
      });
      expect(await count(store, 'delivery_test_results')).toBe(0);
      const report = await ingestJUnitFiles(store, [good, bad], { sha: sha('c1'), pipelineRunId: 'run-1' });
      expect(report.stored).toEqual({ testCaseResults: 3 });
      expect(report.problems).toHaveLength(1);
      const again = await ingestJUnitFiles(store, [good], { sha: sha('c1'), pipelineRunId: 'run-1' });
      expect(again.stored).toEqual({});
    });
  });
}
