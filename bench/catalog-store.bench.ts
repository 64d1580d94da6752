/**
 * The catalog on each store, at 10,000 entities (the demo generator with 500 teams):
 * - reading the files, importing them, and re-importing them unchanged, into DuckDB and PostgreSQL;
 * - list, filter, search, get and graph latency over real HTTP (p50 and p99 of 200 requests each);
 * - `pave serve` on the default demo organisation: resident memory (the bound: 300 MB).
 *
 * PostgreSQL figures need PAVE_TEST_PG_URL (a fresh schema is made and dropped).
 * Run alone: `npx tsx bench/catalog-store.bench.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../src/catalog/index.js';
import { loadConfig } from '../src/core/config.js';
import { generateOrganisation } from '../src/demo/organisation.js';
import { writeCatalogFiles } from '../src/demo/writeCatalog.js';
import { allMigrations, domains } from '../src/domains.js';
import { createApp } from '../src/server/createApp.js';
import { openStore } from '../src/store/openStore.js';
import type { Store } from '../src/store/Store.js';
import { createTestSchema } from '../src/store/testing/testStores.js';
import { type Figure, isMain, printFigure, quantile } from './figure.js';

const TEAMS = 500;
const REQUESTS = 200;
/** Clients at once in the concurrent phase of the memory bench. */
const CLIENTS = 4;

async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** Latency of GETs over HTTP with keep-alive, one at a time. */
async function latencies(base: string, paths: readonly string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const target = paths[i % paths.length]!;
    const started = performance.now();
    const response = await fetch(`${base}${target}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${target}: HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}

async function benchStore(store: Store, label: string, root: string, report: (figure: Figure) => void) {
  const read = readCatalogFiles([root]);
  const first = await timed(() => importCatalog(store, read, { rootKey: fileLocationKey(root) }));
  const entities = first.result.added;
  report({
    name: `${label}: import ${entities} entities`,
    value: first.ms,
    unit: 'ms',
    note: `${Math.round(entities / (first.ms / 1000))} entities/s`,
  });
  const again = await timed(() =>
    importCatalog(store, readCatalogFiles([root]), { rootKey: fileLocationKey(root) }),
  );
  report({
    name: `${label}: re-import unchanged (read + compare)`,
    value: again.ms,
    unit: 'ms',
    note: `${again.result.unchanged} unchanged`,
  });

  const config = loadConfig({ env: {}, cwd: tmpdir() });
  const app = createApp({ store, config, domains, version: 'bench' });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const [team] = await store.query<{ owner_ref: string }>(
    "SELECT owner_ref FROM catalog_entities WHERE lower(kind) = 'component' GROUP BY owner_ref ORDER BY count(*) DESC LIMIT 1",
  );
  const services = await store.query<{ name: string }>(
    "SELECT name FROM catalog_entities WHERE lower(kind) = 'component' ORDER BY entity_ref LIMIT 50",
  );
  const hubs = await store.query<{ ref: string }>(
    `SELECT target_ref AS ref FROM catalog_relations WHERE type = 'dependsOn' AND target_ref LIKE 'component:%'
      GROUP BY target_ref ORDER BY count(*) DESC LIMIT 10`,
  );
  const owner = encodeURIComponent(team!.owner_ref);
  const cases: [string, string[]][] = [
    ['list (first page of 100)', ['/api/v1/entities?limit=100']],
    ['list kind=component&owner=<team>', [`/api/v1/entities?kind=component&owner=${owner}`]],
    [
      'search q=<text>',
      ['/api/v1/entities?q=payment', '/api/v1/entities?q=search', '/api/v1/entities?q=zz-none'],
    ],
    ['get one entity', services.map((s) => `/api/v1/entities/component/default/${s.name}`)],
    [
      'graph dependents depth 3 of a hub',
      hubs.map(
        (h) => `/api/v1/entities/component/default/${h.ref.split('/')[1]}/graph?direction=dependents&depth=3`,
      ),
    ],
  ];
  for (const [name, paths] of cases) {
    await latencies(base, paths.slice(0, 5)); // warm up
    const times = await latencies(base, paths);
    report({ name: `${label}: ${name} p50`, value: quantile(times, 0.5), unit: 'ms' });
    report({ name: `${label}: ${name} p99`, value: quantile(times, 0.99), unit: 'ms' });
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Peak and final resident memory of `pave serve` on the default demo organisation under a request mix. */
async function benchServeMemory(report: (figure: Figure) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-serve-'));
  const bin = path.resolve(import.meta.dirname, '../bin/pave.js');
  try {
    await new Promise<void>((resolve, reject) => {
      const demo = spawn(process.execPath, [bin, 'demo', '--no-serve', '-q'], { cwd: dir, stdio: 'ignore' });
      demo.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pave demo exited ${code}`))));
    });
    const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const base = await new Promise<string>((resolve, reject) => {
      server.stderr!.on('data', (chunk: Buffer) => {
        const match = /serving (http:\/\/[^\s]+)/.exec(chunk.toString());
        if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
      });
      server.on('exit', (code) => reject(new Error(`pave serve exited ${code}`)));
    });
    const rss = () => {
      const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
      const field = (name: string) =>
        Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
      return { now: field('VmRSS'), peak: field('VmHWM') };
    };
    report({ name: 'pave serve (demo org): RSS when ready', value: rss().now, unit: 'MB' });
    // First the catalog alone (what the foundation serves), then what the portal asks for: the
    // catalog and every metric over the demo's two years. Peak RSS only grows, so the order matters.
    const catalogPaths = [
      '/',
      '/api/v1/entities?limit=1000',
      '/api/v1/entities?kind=component&q=a',
      '/openapi.json',
    ];
    await latencies(base, catalogPaths);
    const catalogOnly = rss();
    report({
      name: 'pave serve (demo org): peak RSS, catalog requests',
      value: catalogOnly.peak,
      unit: 'MB',
      note: `${REQUESTS} requests; now ${catalogOnly.now.toFixed(0)} MB; bound: 300 MB`,
    });
    const day = 86_400_000;
    const to = new Date().toISOString().slice(0, 10);
    const twoYears = new Date(Date.now() - 730 * day).toISOString().slice(0, 10);
    const quarter = new Date(Date.now() - 90 * day).toISOString().slice(0, 10);
    const paths = [
      ...catalogPaths,
      `/api/v1/metrics/dora?scope=org&from=${twoYears}&to=${to}&bucket=week`,
      `/api/v1/metrics/dora?scope=team:checkout&from=${quarter}&to=${to}`,
      `/api/v1/metrics/ci?scope=org&from=${quarter}&to=${to}`,
      '/api/v1/deployments?limit=100',
      '/api/v1/slos/status',
      `/api/v1/incidents/stats?scope=org&from=${twoYears}&to=${to}`,
      `/api/v1/oncall/load?scope=org&from=${quarter}&to=${to}`,
      '/api/v1/incidents?limit=100',
    ];
    await latencies(base, paths);
    const sequential = rss();
    report({
      name: 'pave serve (demo org): peak RSS, catalog and metric requests, one client',
      value: sequential.peak,
      unit: 'MB',
      note: `${REQUESTS} requests; now ${sequential.now.toFixed(0)} MB`,
    });
    await Promise.all(Array.from({ length: CLIENTS }, () => latencies(base, paths)));
    const concurrent = rss();
    report({
      name: `pave serve (demo org): peak RSS, catalog and metric requests, ${CLIENTS} clients at once`,
      value: concurrent.peak,
      unit: 'MB',
      note: `${CLIENTS * REQUESTS} requests; now ${concurrent.now.toFixed(0)} MB`,
    });
    server.kill('SIGTERM');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(report: (figure: Figure) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-catalog-'));
  try {
    const organisation = generateOrganisation({ seed: 1, teams: TEAMS });
    const written = await writeCatalogFiles(organisation, path.join(dir, 'catalog'));
    const read = await timed(() => readCatalogFiles([written.root]));
    report({
      name: `read ${written.entities} entities from ${written.files.length} files`,
      value: read.ms,
      unit: 'ms',
    });

    const duckdb = await openStore(path.join(dir, 'bench.duckdb'), { migrations: allMigrations() });
    try {
      await benchStore(duckdb, 'duckdb', written.root, report);
    } finally {
      await duckdb.close();
    }
    if (process.env.PAVE_TEST_PG_URL) {
      const schema = await createTestSchema();
      const postgres = await openStore(schema.url, { migrations: allMigrations() });
      try {
        await benchStore(postgres, 'postgres', written.root, report);
      } finally {
        await postgres.close();
        await schema.drop();
      }
    } else {
      console.log('PAVE_TEST_PG_URL is not set: PostgreSQL figures skipped');
    }
    await benchServeMemory(report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await bench(printFigure);
