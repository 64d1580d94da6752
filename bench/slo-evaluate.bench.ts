/**
 * SLO evaluation at scale (issue 4): 1,000 SLOs over a 30-day window of 1-minute good/total
 * samples, 43.2 million SLI points, on DuckDB and on PostgreSQL, with the ratio. The aim:
 * under 5 s on DuckDB.
 *
 * The points are generated in SQL on each engine (`generate_series`, the same arithmetic on both,
 * so both hold identical data and must give identical statuses); loading is timed too. Evaluation
 * is `evaluateSlos` as `pave slo status` runs it: the set-based window sums for all SLOs, the
 * incident query, and the figures.
 *
 * `PAVE_BENCH_SLOS` (default 1000) scales the number of SLOs; `PAVE_BENCH_PG_SLOS` runs
 * PostgreSQL at a smaller scale when its load at full scale is too slow for the machine.
 * PostgreSQL figures need PAVE_TEST_PG_URL (a fresh schema is made and dropped).
 * Run alone: `npx tsx bench/slo-evaluate.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { catalogMigrations } from '../src/catalog/migrations.js';
import { incidentMigrations } from '../src/reliability/incidents/migrations.js';
import { evaluateSlos, registerSlos, type SloStatus, sloMigrations } from '../src/reliability/slo/index.js';
import { openStore } from '../src/store/openStore.js';
import type { Store } from '../src/store/Store.js';
import { createTestSchema } from '../src/store/testing/testStores.js';
import { type Figure, isMain, printFigure, quantile } from './figure.js';

const MINUTES = 30 * 24 * 60;
const START = Date.parse('2026-01-01T00:00:00Z') / 1000;
const AT = new Date((START + MINUTES * 60) * 1000);
const RUNS = 3;

/** Sloth specs for `count` SLOs: 100 services with `count / 100` SLOs each. */
function specs(count: number): { file: string; text: string }[] {
  const files: { file: string; text: string }[] = [];
  const perService = Math.max(1, Math.ceil(count / 100));
  for (let s = 0; s * perService < count; s++) {
    const slos: string[] = [];
    for (let i = 0; i < perService && s * perService + i < count; i++) {
      slos.push(`  - name: slo-${i}
    objective: ${[99, 99.5, 99.9, 99.95][i % 4]}
    sli:
      events:
        error_query: sum(rate(http_requests_total{service="svc-${s}",route="r${i}",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{service="svc-${s}",route="r${i}"}[{{.window}}]))
    alerting:
      page_alert: { disable: true }
      ticket_alert: { disable: true }
`);
    }
    files.push({
      file: `svc-${s}.yaml`,
      text: `version: prometheus/v1\nservice: svc-${s}\nslos:\n${slos.join('')}`,
    });
  }
  return files;
}

/**
 * One point a minute per SLO: 1,000 events, a few bad ones by a fixed arithmetic pattern, and a
 * bad hour a day for one SLO in seven, so budgets differ; identical on both engines.
 */
const GENERATE = `INSERT INTO slo_sli_points (slo_key, start_at, end_at, good, total, source)
  SELECT s.slo_key, to_timestamp(${START} + g.m * 60), to_timestamp(${START} + g.m * 60 + 60),
         1000 - (CAST(s.slo_key AS BIGINT) * 7919 + CAST(g.m AS BIGINT) * 104729) % 3
              - CASE WHEN s.slo_key % 7 = 0 AND g.m % 1440 < 60 THEN 40 ELSE 0 END,
         1000, 'bench'
  FROM slo_specs s, generate_series(0, ${MINUTES - 1}) AS g(m)`;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

interface EngineResult {
  label: string;
  slos: number;
  evaluateMs: number;
  statuses: SloStatus[];
}

async function benchEngine(
  store: Store,
  label: string,
  count: number,
  report: (figure: Figure) => void,
): Promise<EngineResult> {
  const registered = await timed(() => registerSlos(store, specs(count), { source: 'cli' }));
  report({ name: `${label}: register ${count} SLO specs`, value: registered.ms, unit: 'ms' });
  const load = await timed(() => store.execute(GENERATE));
  const [row] = await store.query<{ n: number }>('SELECT count(*) AS n FROM slo_sli_points');
  const points = row?.n ?? 0;
  report({
    name: `${label}: load ${(points / 1e6).toFixed(1)}M SLI points in SQL`,
    value: load.ms / 1000,
    unit: 's',
    note: `${Math.round(points / (load.ms / 1000)).toLocaleString('en-US')} points/s`,
  });
  if (store.engine === 'postgres') {
    const vacuum = await timed(() => store.execute('VACUUM ANALYZE slo_sli_points'));
    report({ name: `${label}: VACUUM ANALYZE after the load`, value: vacuum.ms / 1000, unit: 's' });
  }
  const times: number[] = [];
  let statuses: SloStatus[] = [];
  for (let run = 0; run < RUNS; run++) {
    const evaluated = await timed(() => evaluateSlos(store, { at: AT }));
    times.push(evaluated.ms);
    statuses = evaluated.result;
  }
  if (statuses.length !== count || statuses.some((status) => status.sample.total !== MINUTES * 1000)) {
    throw new Error(`${label}: evaluation did not cover every SLO's 30 days`);
  }
  const evaluateMs = quantile(times, 0.5);
  report({
    name: `${label}: evaluate ${count} SLOs over ${(points / 1e6).toFixed(1)}M points`,
    value: evaluateMs / 1000,
    unit: 's',
    note: `median of ${RUNS}; first ${(times[0]! / 1000).toFixed(2)} s${store.engine === 'duckdb' && count === 1000 ? '; aim < 5 s' : ''}`,
  });
  return { label, slos: count, evaluateMs, statuses };
}

/** The statuses both engines computed must agree (the same SQL over the same points). */
function compare(a: EngineResult, b: EngineResult): void {
  const byId = new Map(b.statuses.map((status) => [status.slo, status]));
  for (const status of a.statuses) {
    const other = byId.get(status.slo);
    if (!other) continue;
    const same =
      status.errorBudgetRemaining === other.errorBudgetRemaining &&
      JSON.stringify(status.burnRates) === JSON.stringify(other.burnRates) &&
      status.policyState === other.policyState;
    if (!same) throw new Error(`${status.slo}: ${a.label} and ${b.label} disagree`);
  }
}

export async function bench(report: (figure: Figure) => void): Promise<void> {
  const count = Number(process.env.PAVE_BENCH_SLOS ?? 1000);
  const migrations = [...catalogMigrations, ...incidentMigrations, ...sloMigrations];

  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-slo-'));
  let duck: EngineResult;
  const duckStore = await openStore(path.join(dir, 'bench.duckdb'), { migrations });
  try {
    duck = await benchEngine(duckStore, 'duckdb', count, report);
  } finally {
    await duckStore.close();
    rmSync(dir, { recursive: true, force: true });
  }

  if (!process.env.PAVE_TEST_PG_URL) {
    console.log('PAVE_TEST_PG_URL is not set: the PostgreSQL figures are skipped');
    return;
  }
  const pgCount = Number(process.env.PAVE_BENCH_PG_SLOS ?? count);
  const schema = await createTestSchema();
  const pgStore = await openStore(schema.url, { migrations });
  try {
    const pg = await benchEngine(pgStore, 'postgres', pgCount, report);
    if (pgCount === count) compare(duck, pg);
    const perSlo = (result: EngineResult) => result.evaluateMs / result.slos;
    report({
      name: 'ratio postgres / duckdb (evaluate)',
      value: perSlo(pg) / perSlo(duck),
      unit: 'x',
      note: pgCount === count ? 'same data, identical statuses' : `per SLO: ${pgCount} vs ${count} SLOs`,
    });
  } finally {
    await pgStore.close();
    await schema.drop();
  }
}

if (isMain(import.meta.url)) await bench(printFigure);
