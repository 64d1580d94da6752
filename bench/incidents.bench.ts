/**
 * Incidents at scale, on DuckDB and PostgreSQL with the same data (the ratio printed):
 * - import throughput: 100,000 incidents as Pave incident JSON (with pages, postmortems and action
 *   items), read and stored; then the same file again (read, compare, nothing written);
 * - `pave incident stats` over the 100,000 (organisation, two years), and one team's last 90 days;
 * - `pave oncall load` for the organisation over two years.
 * The catalog is the demo organisation (40 teams, about 260 services).
 *
 * PostgreSQL figures need PAVE_TEST_PG_URL (a fresh schema is made and dropped).
 * Run alone: `npx tsx bench/incidents.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileLocationKey, importCatalog, readCatalogFiles } from '../src/catalog/index.js';
import { generateOrganisation } from '../src/demo/organisation.js';
import { createRandom } from '../src/demo/random.js';
import { writeCatalogFiles } from '../src/demo/writeCatalog.js';
import { allMigrations } from '../src/domains.js';
import {
  defaultIncidentsConfig,
  importIncidents,
  incidentStats,
  onCallLoadReport,
} from '../src/reliability/index.js';
import { openStore } from '../src/store/openStore.js';
import type { Store } from '../src/store/Store.js';
import { createTestSchema } from '../src/store/testing/testStores.js';
import { type Figure, isMain, printFigure, quantile } from './figure.js';

const INCIDENTS = 100_000;
const DAY_MS = 86_400_000;
const AS_OF = Date.parse('2026-01-31T00:00:00Z');
const FROM = AS_OF - 730 * DAY_MS;
const REPEATS = 3;

const organisation = generateOrganisation({ seed: 1, teams: 40 });

/** 100,000 incidents as Pave incident JSON: two years, every severity, pages for the urgent ones. */
function incidentFile(): string {
  const random = createRandom('bench/incidents');
  const services = organisation.components.filter((c) => c.type === 'service' || c.type === 'website');
  const members = new Map<string, string[]>();
  for (const user of organisation.users) {
    const team = user.memberOf[0];
    if (team) members.set(team, [...(members.get(team) ?? []), user.ref]);
  }
  const causes = ['deployment', 'config', 'dependency', 'capacity', 'platform', 'infrastructure'];
  const iso = (time: number) => new Date(time).toISOString();
  const incidents = [];
  for (let i = 0; i < INCIDENTS; i++) {
    const service = random.pick(services);
    const start = FROM + Math.floor(random.next() * 730 * DAY_MS);
    const rank = random.int(1, 5);
    const detected = start + random.int(0, 600) * 1000;
    const acknowledged =
      rank <= 3 || random.chance(0.5)
        ? detected + Math.round(random.lognormal(Math.log(300), 0.8) * 1000)
        : undefined;
    const resolved =
      (acknowledged ?? detected) + Math.round(random.lognormal(Math.log(3600 * rank), 0.9) * 1000);
    const incident: Record<string, unknown> = {
      id: `bench-${i}`,
      title: `${service.name} incident ${i}`,
      severity: `SEV${rank}`,
      startedAt: iso(start),
      detectedAt: iso(detected),
      ...(acknowledged ? { acknowledgedAt: iso(acknowledged) } : {}),
      ...(resolved < AS_OF ? { resolvedAt: iso(resolved) } : {}),
      services: [service.ref],
      causeCategory: random.pick(causes),
    };
    if (rank <= 2 && resolved < AS_OF) {
      const done = random.chance(0.7);
      incident.postmortem = done
        ? { url: `https://wiki/pm/${i}`, completedAt: iso(resolved + random.int(1, 12) * DAY_MS) }
        : { status: 'draft' };
      incident.actionItems = [
        {
          title: 'Follow up',
          dueDate: iso(resolved + 30 * DAY_MS).slice(0, 10),
          ...(random.chance(0.6) ? { status: 'done' } : {}),
        },
      ];
    }
    const team = members.get(service.team) ?? [];
    if (rank <= 3 && team.length > 0) {
      incident.pages = [
        { sentAt: iso(detected), responder: random.pick(team), channel: 'push' },
        ...(random.chance(0.3)
          ? [{ sentAt: iso(detected + 300_000), responder: random.pick(team), channel: 'phone' }]
          : []),
      ];
    }
    incidents.push(incident);
  }
  return JSON.stringify(incidents);
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

/** Median time of `REPEATS` runs. */
async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) times.push((await timed(work)).ms);
  return quantile(times, 0.5);
}

async function benchStore(
  store: Store,
  label: string,
  file: string,
  root: string,
  report: (figure: Figure) => void,
) {
  await importCatalog(store, readCatalogFiles([root]), { rootKey: fileLocationKey(root) });
  const first = await timed(() =>
    importIncidents(store, file, 'pave', { file: 'bench.json', now: new Date(AS_OF) }),
  );
  report({
    name: `${label}: import ${first.result.added.toLocaleString('en-US')} incidents`,
    value: first.ms,
    unit: 'ms',
    note: `${Math.round(first.result.added / (first.ms / 1000)).toLocaleString('en-US')} incidents/s, ${first.result.notifications.toLocaleString('en-US')} pages`,
  });
  const again = await timed(() =>
    importIncidents(store, file, 'pave', { file: 'bench.json', now: new Date(AS_OF) }),
  );
  report({
    name: `${label}: re-import unchanged`,
    value: again.ms,
    unit: 'ms',
    note: `${again.result.unchanged} unchanged`,
  });

  const config = defaultIncidentsConfig();
  const asOf = new Date(AS_OF);
  const org = { scope: { type: 'org' as const }, from: new Date(FROM), to: asOf, asOf, config };
  const check = await incidentStats(store, org);
  if (check.incidents !== INCIDENTS) throw new Error(`stats counted ${check.incidents} incidents`);
  const team = { type: 'team' as const, ref: organisation.teams[0]!.ref };
  const figures = {
    org: await median(() => incidentStats(store, org)),
    team: await median(() =>
      incidentStats(store, { ...org, scope: team, from: new Date(AS_OF - 90 * DAY_MS) }),
    ),
    load: await median(() => onCallLoadReport(store, org)),
  };
  report({
    name: `${label}: incident stats, org, 2 years`,
    value: figures.org,
    unit: 'ms',
    note: `median of ${REPEATS}`,
  });
  report({
    name: `${label}: incident stats, one team, 90 days`,
    value: figures.team,
    unit: 'ms',
    note: `median of ${REPEATS}`,
  });
  report({
    name: `${label}: on-call load, org, 2 years`,
    value: figures.load,
    unit: 'ms',
    note: `median of ${REPEATS}`,
  });
  return { import: first.ms, ...figures };
}

export async function bench(report: (figure: Figure) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-incidents-'));
  try {
    const written = await writeCatalogFiles(organisation, path.join(dir, 'catalog'));
    const generated = await timed(async () => incidentFile());
    report({
      name: `generate ${INCIDENTS.toLocaleString('en-US')} incidents (Pave JSON)`,
      value: generated.ms,
      unit: 'ms',
      note: `${(generated.result.length / 1e6).toFixed(1)} MB`,
    });
    const duckdb = await openStore(path.join(dir, 'bench.duckdb'), { migrations: allMigrations() });
    let duck: Awaited<ReturnType<typeof benchStore>>;
    try {
      duck = await benchStore(duckdb, 'duckdb', generated.result, written.root, report);
    } finally {
      await duckdb.close();
    }
    if (!process.env.PAVE_TEST_PG_URL) {
      report({ name: 'postgres: skipped', value: 0, unit: '', note: 'PAVE_TEST_PG_URL is not set' });
      return;
    }
    const schema = await createTestSchema();
    const postgres = await openStore(schema.url, { migrations: allMigrations() });
    try {
      const pg = await benchStore(postgres, 'postgres', generated.result, written.root, report);
      for (const key of ['import', 'org', 'team', 'load'] as const) {
        report({ name: `ratio postgres / duckdb: ${key}`, value: pg[key] / duck[key], unit: 'x' });
      }
    } finally {
      await postgres.close();
      await schema.drop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await bench(printFigure);
