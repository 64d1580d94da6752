/**
 * Delivery on a synthetic organisation of 300 services over 2 years (the issue's scale, at
 * `PAVE_BENCH_SCALE=1`): about 500,000 deployments, 3,000,000 commits, 2,000,000 pipeline runs and
 * 10,000,000 test case results, generated inside each database by one portable SQL statement per
 * table (`generate_series`, `md5`), the catalog being the demo organisation's (300 components).
 * On DuckDB and on PostgreSQL (`PAVE_TEST_PG_URL`), on the same data:
 * - the attribution of the whole history (commits to deployments, deployment facts);
 * - organisation-wide weekly DORA over the 2 years, and one team's last 90 days (median of 3 runs
 *   after a first, warm-up, run), with the PostgreSQL/DuckDB ratio;
 * - org-wide CI health over the last 90 days (flaky tests over the test results);
 * - ingest of CDEvents NDJSON through `pave ingest cdevents`' streaming path, events/s, into the
 *   empty database (catalog only) and into the 2-year history;
 * - peak resident memory of this process in each phase (DuckDB runs in-process; PostgreSQL's own
 *   memory is the server's and is not counted).
 * Run alone: `npx tsx bench/delivery.bench.ts`; `PAVE_BENCH_SCALE=0.1` for a quick run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../src/catalog/index.js';
import {
  attributeLoadedServices,
  computeCi,
  computeDora,
  ingestCdeventsFile,
} from '../src/delivery/index.js';
import { parseCdevents } from '../src/delivery/ingest/cdevents.js';
import { generateOrganisation } from '../src/demo/organisation.js';
import { writeCatalogFiles } from '../src/demo/writeCatalog.js';
import { allMigrations } from '../src/domains.js';
import { openStore } from '../src/store/openStore.js';
import type { Store } from '../src/store/Store.js';
import { createTestSchema } from '../src/store/testing/testStores.js';
import { type Figure, isMain, printFigure } from './figure.js';

const SCALE = Number(process.env.PAVE_BENCH_SCALE ?? 1);
const SERVICES = 300;
const DEPLOYMENTS_PER_SERVICE = Math.round(1667 * SCALE);
const COMMITS_PER_DEPLOYMENT = 6;
const RUNS_PER_SERVICE = Math.round(6667 * SCALE);
const TESTS_PER_RUN = 5;
const INGEST_EVENTS = Math.round(200_000 * Math.min(1, SCALE * 2));
const DAYS = 730;
const END = Date.UTC(2026, 0, 1);
const START = END - DAYS * 86_400_000;

type Report = (figure: Figure) => void;

/** Runs `work` while sampling this process's resident memory; returns its result, time and peak. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, ms: performance.now() - started, peakMb: peak / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

/** Fills the delivery tables with the synthetic history, in SQL inside the database. */
export async function generate(store: Store, refs: readonly string[]): Promise<Record<string, number>> {
  await store.execute('CREATE TABLE bench_services (s INTEGER, ref TEXT, lead_hours INTEGER)');
  await store.insertRows(
    'bench_services',
    ['s', 'ref', 'lead_hours'],
    refs.map((ref, s) => [s, ref, [3, 40, 200, 900][s % 4]!]),
  );
  const K = DEPLOYMENTS_PER_SERVICE;
  const gap = (DAYS * 86_400) / K; // seconds between deployments of one service
  const start = START / 1000;
  const sha = (j: string) => `md5('c' || b.s || '-' || ${j})`;
  // Commit j of service s belongs to deployment floor(j / 6): it was committed up to twice the
  // service's typical lead time before that deployment finished.
  const deployTime = (k: string) => `${start} + ${k} * ${gap} + ((${k} * 7919 + b.s * 104729) % 1800)`;
  await store.execute(
    `INSERT INTO delivery_commits (sha, parents, authored_at, committed_at, repository, service, source)
     SELECT ${sha('j')}, CASE WHEN j = 0 THEN '' ELSE ${sha('(j - 1)')} END,
            to_timestamp(${deployTime(`(j / ${COMMITS_PER_DEPLOYMENT})`)} - ((j * 7919 + b.s * 31) % (b.lead_hours * 7200)) - 600),
            to_timestamp(${deployTime(`(j / ${COMMITS_PER_DEPLOYMENT})`)} - ((j * 7919 + b.s * 31) % (b.lead_hours * 7200))),
            'bench/svc' || b.s, NULL, 'git'
       FROM bench_services b, generate_series(0, ${K * COMMITS_PER_DEPLOYMENT - 1}) AS g(j)`,
  );
  // Deployment k ships commit 6k+5; one in 25 is a rollback of the one before (back to k-2's sha).
  await store.execute(
    `INSERT INTO delivery_deployments (id, service, environment, sha, status, started_at, finished_at, status_at,
                                       rollback, rollback_of, unplanned, repository, source, received_at)
     SELECT 'bench:' || b.s || ':' || k, b.ref, 'production',
            CASE WHEN rb THEN ${sha(`((k - 2) * ${COMMITS_PER_DEPLOYMENT} + 5)`)} ELSE ${sha(`(k * ${COMMITS_PER_DEPLOYMENT} + 5)`)} END,
            'success', to_timestamp(${deployTime('k')} - 300), to_timestamp(${deployTime('k')}),
            to_timestamp(${deployTime('k')}), rb, CASE WHEN rb THEN 'bench:' || b.s || ':' || (k - 1) END,
            CASE WHEN rb THEN true END, 'bench/svc' || b.s, 'pave', to_timestamp(${deployTime('k')})
       FROM (SELECT b.*, k, (k >= 2 AND (k * 31 + b.s) % 25 = 0) AS rb
               FROM bench_services b, generate_series(0, ${K - 1}) AS g(k)) b`,
  );
  const R = RUNS_PER_SERVICE;
  const runGap = (DAYS * 86_400) / R;
  const runCommit = `CAST(floor(r * ${(K * COMMITS_PER_DEPLOYMENT) / R}) AS BIGINT)`;
  const queued = `${start} + r * ${runGap}`;
  await store.execute(
    `INSERT INTO delivery_pipeline_runs (id, pipeline, service, repository, sha, ref, status, queued_at, started_at,
                                         finished_at, source)
     SELECT 'run:' || b.s || ':' || r, 'ci', b.ref, 'bench/svc' || b.s, ${sha(runCommit)}, 'main',
            CASE WHEN (r * 13 + b.s) % 100 < 90 THEN 'success' WHEN (r * 13 + b.s) % 100 < 97 THEN 'failure'
                 WHEN (r * 13 + b.s) % 100 < 99 THEN 'cancelled' ELSE 'skipped' END,
            to_timestamp(${queued}), to_timestamp(${queued} + r % 120),
            to_timestamp(${queued} + r % 120 + 300 + (r * 37 + b.s) % 900), 'cdevents'
       FROM bench_services b, generate_series(0, ${R - 1}) AS g(r)`,
  );
  await store.execute(
    `INSERT INTO delivery_test_results (id, pipeline_run_id, sha, suite, test, status, duration_seconds, attempt,
                                        run_at, source)
     SELECT 'tr:' || b.s || ':' || r || ':' || t, 'run:' || b.s || ':' || r, ${sha(runCommit)}, 'svc' || b.s,
            'svc' || b.s || '.T' || ((r % 4) * ${TESTS_PER_RUN} + t),
            CASE WHEN (r * 7 + t * 3 + b.s) % 97 = 0 THEN 'failed' ELSE 'passed' END,
            ((r * 11 + t) % 500) / 100.0, 1,
            to_timestamp(${queued} + r % 120 + 300 + (r * 37 + b.s) % 900), 'junit'
       FROM bench_services b, generate_series(0, ${R - 1}) AS g(r), generate_series(0, ${TESTS_PER_RUN - 1}) AS h(t)`,
  );
  await store.execute('DROP TABLE bench_services');
  const counts: Record<string, number> = {};
  for (const table of [
    'delivery_deployments',
    'delivery_commits',
    'delivery_pipeline_runs',
    'delivery_test_results',
  ]) {
    const [row] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** NDJSON CDEvents in the benchmark's mix (test case results dominate), one service per 300. */
export function cdeventsNdjson(count: number, refs: readonly string[], prefix = 'ev'): string {
  const mix: [string, number][] = [
    ['testcaserun.finished.0.3.0', 70],
    ['pipelinerun.finished.0.3.0', 15],
    ['taskrun.finished.0.3.0', 5],
    ['service.deployed.0.3.0', 5],
    ['change.merged.0.3.0', 4],
    ['incident.detected.0.3.0', 1],
  ];
  const types = mix.flatMap(([type, weight]) => Array.from({ length: weight }, () => type));
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length]!;
    const service = refs[i % refs.length]!;
    const content: Record<string, unknown> = type.startsWith('testcaserun')
      ? {
          outcome: i % 50 === 0 ? 'failure' : 'success',
          testCase: { id: `t${i % 20_000}`, name: `Test${i % 20_000}` },
        }
      : type.startsWith('pipelinerun')
        ? {
            pipelineName: 'ci',
            outcome: i % 10 === 0 ? 'failure' : 'success',
            uri: `https://ci.example/r/${i}`,
          }
        : type.startsWith('taskrun')
          ? { taskName: 'test', pipelineRun: { id: `run-${i - 1}` }, outcome: 'success' }
          : type.startsWith('service')
            ? { environment: { id: 'production' }, artifactId: `pkg:oci/app@sha256%3A${'ab'.repeat(32)}` }
            : type.startsWith('change')
              ? { repository: { id: 'acme/app', source: 'https://github.com' } }
              : { environment: { id: 'production' }, service: { id: service }, description: 'latency' };
    lines.push(
      JSON.stringify({
        context: {
          specversion: '0.5.0',
          id: `${prefix}-${i}`,
          source: '/ci/acme',
          type: `dev.cdevents.${type}`,
          timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        },
        subject: { id: `${prefix}-s-${i}`, source: '/ci/acme', content },
        customData: {
          'pave.dev/service': service,
          'pave.dev/sha': ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(5),
        },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

interface EngineFigures {
  attributionMs: number;
  orgMs: number;
  teamMs: number;
  ciMs: number;
  ingestPerSecond: number;
  emptyIngestPerSecond: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function benchEngine(
  label: string,
  open: () => Promise<{ store: Store; close(): Promise<void> }>,
  catalogRoot: string,
  refs: readonly string[],
  team: string,
  ndjsonFiles: { empty: string; loaded: string },
  report: Report,
): Promise<EngineFigures> {
  const { store, close } = await open();
  try {
    await importCatalog(store, readCatalogFiles([catalogRoot]), { rootKey: fileLocationKey(catalogRoot) });
    const first = await measured(() => ingestCdeventsFile(store, ndjsonFiles.empty));
    const emptyPerSecond = first.result.events / (first.ms / 1000);
    report({
      name: `${label}: ingest CDEvents NDJSON, empty database`,
      value: emptyPerSecond,
      unit: 'events/s',
      note: `${first.result.events.toLocaleString('en-US')} events in ${(first.ms / 1000).toFixed(1)} s; peak RSS ${first.peakMb.toFixed(0)} MB`,
    });
    const generated = await measured(() => generate(store, refs));
    report({
      name: `${label}: generate the history in SQL`,
      value: generated.ms / 1000,
      unit: 's',
      note: Object.entries(generated.result)
        .map(([table, n]) => `${n.toLocaleString('en-US')} ${table.replace('delivery_', '')}`)
        .join(', '),
    });
    const attribution = await measured(() => attributeLoadedServices(store, refs));
    report({
      name: `${label}: attribute the whole history`,
      value: attribution.ms / 1000,
      unit: 's',
      note: `${attribution.result.services} services; peak RSS ${attribution.peakMb.toFixed(0)} MB`,
    });
    const [changes] = await store.query<{ n: number }>('SELECT count(*) AS n FROM delivery_changes');
    console.log(`  (${Number(changes?.n).toLocaleString('en-US')} changes attributed)`);

    const timeQuery = async (work: () => Promise<unknown>) => {
      await work(); // warm-up: caches, attribution freshness check
      const times: number[] = [];
      let peak = 0;
      for (let i = 0; i < 3; i++) {
        const run = await measured(work);
        times.push(run.ms);
        peak = Math.max(peak, run.peakMb);
      }
      return { ms: median(times), peakMb: peak };
    };
    const org = await timeQuery(() =>
      computeDora(store, { from: new Date(START), to: new Date(END), bucket: 'week' }),
    );
    report({
      name: `${label}: org-wide weekly DORA, 2 years`,
      value: org.ms,
      unit: 'ms',
      note: `median of 3; peak RSS ${org.peakMb.toFixed(0)} MB`,
    });
    const teamRun = await timeQuery(() =>
      computeDora(store, { scope: `team:${team}`, from: new Date(END - 90 * 86_400_000), to: new Date(END) }),
    );
    report({
      name: `${label}: one team, last 90 days`,
      value: teamRun.ms,
      unit: 'ms',
      note: `median of 3; peak RSS ${teamRun.peakMb.toFixed(0)} MB`,
    });
    const ci = await timeQuery(() =>
      computeCi(store, { from: new Date(END - 90 * 86_400_000), to: new Date(END) }),
    );
    report({
      name: `${label}: org-wide CI health, last 90 days`,
      value: ci.ms,
      unit: 'ms',
      note: `median of 3; peak RSS ${ci.peakMb.toFixed(0)} MB`,
    });

    const ingest = await measured(() => ingestCdeventsFile(store, ndjsonFiles.loaded));
    const perSecond = ingest.result.events / (ingest.ms / 1000);
    report({
      name: `${label}: ingest CDEvents NDJSON, into the 2-year history`,
      value: perSecond,
      unit: 'events/s',
      note: `${ingest.result.events.toLocaleString('en-US')} events in ${(ingest.ms / 1000).toFixed(1)} s; peak RSS ${ingest.peakMb.toFixed(0)} MB`,
    });
    return {
      attributionMs: attribution.ms,
      orgMs: org.ms,
      teamMs: teamRun.ms,
      ciMs: ci.ms,
      ingestPerSecond: perSecond,
      emptyIngestPerSecond: emptyPerSecond,
    };
  } finally {
    await close();
  }
}

export async function bench(report: Report): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-delivery-'));
  try {
    const organisation = generateOrganisation({ seed: 1, teams: 40 });
    const written = await writeCatalogFiles(organisation, path.join(dir, 'catalog'));
    const components = organisation.components.slice(0, SERVICES);
    const refs = components.map((component) => component.ref);
    // The team owning the most of the benchmark's services.
    const owned = new Map<string, number>();
    for (const component of components) owned.set(component.team, (owned.get(component.team) ?? 0) + 1);
    const team = [...owned].sort((a, b) => b[1] - a[1])[0]![0];
    const ndjson = { empty: path.join(dir, 'first.ndjson'), loaded: path.join(dir, 'later.ndjson') };
    const firstText = cdeventsNdjson(INGEST_EVENTS, refs, 'first');
    writeFileSync(ndjson.empty, firstText);
    writeFileSync(ndjson.loaded, cdeventsNdjson(INGEST_EVENTS, refs, 'later'));
    console.log(`scale ${SCALE}: ${SERVICES} services, team ${team} (${owned.get(team)} services)`);
    // Parsing alone (no store), one core: what is left of each second for the database.
    const parse = await measured(async () => parseCdevents(firstText, { format: 'ndjson' }));
    report({
      name: 'parse CDEvents NDJSON only (no store)',
      value: parse.result.events / (parse.ms / 1000),
      unit: 'events/s',
      note: `${parse.result.events.toLocaleString('en-US')} events, ${(firstText.length / 1e6).toFixed(0)} MB`,
    });

    const duck = await benchEngine(
      'duckdb',
      async () => {
        const store = await openStore(path.join(dir, 'bench.duckdb'), { migrations: allMigrations() });
        return { store, close: () => store.close() };
      },
      written.root,
      refs,
      team,
      ndjson,
      report,
    );
    if (!process.env.PAVE_TEST_PG_URL) {
      console.log('PAVE_TEST_PG_URL is not set: PostgreSQL figures skipped');
      return;
    }
    const pg = await benchEngine(
      'postgres',
      async () => {
        const schema = await createTestSchema();
        const store = await openStore(schema.url, { migrations: allMigrations() });
        return {
          store,
          close: async () => {
            await store.close();
            await schema.drop();
          },
        };
      },
      written.root,
      refs,
      team,
      ndjson,
      report,
    );
    for (const [name, d, p] of [
      ['attribution', duck.attributionMs, pg.attributionMs],
      ['org-wide weekly DORA', duck.orgMs, pg.orgMs],
      ['one team, 90 days', duck.teamMs, pg.teamMs],
      ['CI health', duck.ciMs, pg.ciMs],
    ] as const) {
      report({ name: `postgres / duckdb: ${name}`, value: p / d, unit: 'x' });
    }
    report({
      name: 'duckdb / postgres: ingest events/s, empty database',
      value: duck.emptyIngestPerSecond / pg.emptyIngestPerSecond,
      unit: 'x',
    });
    report({
      name: 'duckdb / postgres: ingest events/s, 2-year history',
      value: duck.ingestPerSecond / pg.ingestPerSecond,
      unit: 'x',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await bench(printFigure);
