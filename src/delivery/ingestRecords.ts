/**
 * Stores the records an adapter parsed. Deployments, pull requests and commits may arrive in
 * pieces and out of order: each is merged with the stored record of the same key by the rules of
 * `mergeRecords.ts` (never a blind overwrite), and only a record the merge changed is written.
 * Every other record is immutable once stored: a repeated key changes nothing. So ingesting the
 * same events twice, or a webhook retried with the same delivery id, stores nothing new.
 *
 * One transaction per batch. The services whose attribution depends on what changed are marked
 * for re-attribution (see `attribution.ts`).
 */
import type { Problem } from '../core/errors.js';
import type { Queryable, SqlParam, Store } from '../store/Store.js';
import { forwardIncidentSignals } from './forwardIncidentSignals.js';
import type { IngestResult } from './ingest/recordCollector.js';
import { mergeCommit, mergeDeployment, mergePullRequest } from './mergeRecords.js';
import type { Commit, DeliveryRecords, Deployment, PullRequest, UnusedReport } from './model.js';
import {
  APPEND_TABLES,
  COMMIT_COLUMNS,
  commitFromRow,
  commitRow,
  DEPLOYMENT_COLUMNS,
  deploymentFromRow,
  deploymentRow,
  PULL_REQUEST_COLUMNS,
  pullRequestFromRow,
  pullRequestRow,
} from './recordRows.js';
import { bumpServiceVersions, registerServices } from './services.js';
import { textList } from './sqlParams.js';

/** What one ingest stored: rows added or changed per record type, and what it left alone. */
export interface StoreSummary {
  /** Rows added or changed, by record type (`deployments`, `testCaseResults`, ...). */
  stored: Partial<Record<keyof DeliveryRecords, number>>;
  /** Records already stored exactly so. */
  unchanged: number;
}

/** The report of an ingest: the parse result's counts and problems, and what was stored. */
export interface IngestReport extends StoreSummary {
  events: number;
  problems: Problem[];
  unused: UnusedReport;
}

/** Options of `storeRecords`. */
export interface StoreOptions {
  /** Stamped on new deployments as `received_at`; default now. */
  receivedAt?: Date;
}

/** Stores a parse result (records, problems and unused report pass through). */
export async function ingestResult(
  store: Store,
  result: IngestResult,
  options: StoreOptions = {},
): Promise<IngestReport> {
  const summary = await storeRecords(store, result.records, options);
  const incidentProblems = await forwardIncidentSignals(store, result.records.incidentSignals);
  return {
    events: result.events,
    problems: [...result.problems, ...incidentProblems],
    unused: result.unused,
    ...summary,
  };
}

/** Adds the counts of `b` to `a` (batches of one streamed ingest). */
export function addReports(a: IngestReport, b: IngestReport): IngestReport {
  const stored = { ...a.stored };
  for (const [table, count] of Object.entries(b.stored) as [keyof DeliveryRecords, number][]) {
    stored[table] = (stored[table] ?? 0) + count;
  }
  const unused = new Map(a.unused.map((entry) => [`${entry.type}\u0000${entry.reason}`, { ...entry }]));
  for (const entry of b.unused) {
    const key = `${entry.type}\u0000${entry.reason}`;
    const known = unused.get(key);
    if (known) known.count += entry.count;
    else unused.set(key, { ...entry });
  }
  return {
    events: a.events + b.events,
    stored,
    unchanged: a.unchanged + b.unchanged,
    problems: [...a.problems, ...b.problems],
    unused: [...unused.values()],
  };
}

/** An empty report, to add batches to. */
export function emptyReport(): IngestReport {
  return { events: 0, stored: {}, unchanged: 0, problems: [], unused: [] };
}

/** Writes records in one transaction, merging with what is stored. */
export async function storeRecords(
  store: Store,
  records: DeliveryRecords,
  options: StoreOptions = {},
): Promise<StoreSummary> {
  const receivedAt = (options.receivedAt ?? new Date()).toISOString();
  return store.transaction(async (tx) => {
    const summary: StoreSummary = { stored: {}, unchanged: 0 };
    const count = (table: keyof DeliveryRecords, total: number, changed: number) => {
      if (changed > 0) summary.stored[table] = changed;
      summary.unchanged += total - changed;
    };

    const deployments = await mergeAndWrite(tx, records.deployments, {
      table: 'delivery_deployments',
      key: 'id',
      keyOf: (d) => d.id,
      columns: DEPLOYMENT_COLUMNS,
      // The first report's arrival time stays: it is when Pave first heard of the deployment.
      compare: (d) => deploymentRow(d, '').slice(0, -1),
      row: (d) => deploymentRow(d, receivedAt),
      fromRow: deploymentFromRow,
      merge: mergeDeployment,
      update: DEPLOYMENT_COLUMNS.filter((column) => column !== 'id' && column !== 'received_at'),
    });
    count('deployments', records.deployments.length, deployments.changed.length);

    const pullRequests = await mergeAndWrite(tx, records.pullRequests, {
      table: 'delivery_pull_requests',
      key: 'id',
      keyOf: (p) => p.id,
      columns: PULL_REQUEST_COLUMNS,
      compare: pullRequestRow,
      row: pullRequestRow,
      fromRow: pullRequestFromRow,
      merge: mergePullRequest,
    });
    count('pullRequests', records.pullRequests.length, pullRequests.changed.length);

    const commits = await mergeAndWrite(tx, records.commits, {
      table: 'delivery_commits',
      key: 'sha',
      keyOf: (c) => c.sha,
      columns: COMMIT_COLUMNS,
      compare: commitRow,
      row: commitRow,
      fromRow: commitFromRow,
      merge: mergeCommit,
    });
    count('commits', records.commits.length, commits.changed.length);

    for (const [name, spec] of Object.entries(APPEND_TABLES) as [
      keyof typeof APPEND_TABLES,
      (typeof APPEND_TABLES)[keyof typeof APPEND_TABLES],
    ][]) {
      const list = records[name] as Parameters<typeof spec.row>[0][];
      if (list.length === 0) continue;
      const rows = list.map((record) => (spec.row as (r: typeof record) => SqlParam[])(record));
      const added = await tx.insertRows(spec.table, spec.columns, rows, {
        onConflict: { target: [spec.key], action: 'nothing' },
      });
      count(name, list.length, Math.min(added, list.length));
    }

    await markChangedServices(tx, {
      deployments: deployments.changed,
      previous: deployments.previous,
      commits: commits.changed,
      pullRequests: pullRequests.changed,
      pushRepositories: records.pushes.map((push) => push.repository),
      runServices: records.pipelineRuns.map((run) => run.service ?? run.repository).filter(isString),
    });
    return summary;
  });
}

interface MergeSpec<T> {
  table: string;
  key: string;
  keyOf: (record: T) => string;
  columns: readonly string[];
  /** The values that decide whether a merge changed anything. */
  compare: (record: T) => SqlParam[];
  row: (record: T) => SqlParam[];
  fromRow: (row: Record<string, unknown>) => T;
  merge: (stored: T, incoming: T) => T;
  update?: readonly string[];
}

/** Merges records with the stored ones of the same key and writes those that changed. */
async function mergeAndWrite<T>(
  tx: Queryable,
  records: readonly T[],
  spec: MergeSpec<T>,
): Promise<{ changed: T[]; previous: Map<string, T> }> {
  const previous = new Map<string, T>();
  if (records.length === 0) return { changed: [], previous };
  const keys = records.map(spec.keyOf);
  const rows = await tx.query(
    `SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE ${spec.key} IN (SELECT unnest($1::text[]))`,
    [keys],
  );
  for (const row of rows) {
    const record = spec.fromRow(row);
    previous.set(spec.keyOf(record), record);
  }
  const changed: T[] = [];
  for (const record of records) {
    const stored = previous.get(spec.keyOf(record));
    if (stored === undefined) {
      changed.push(record);
      continue;
    }
    const merged = spec.merge(stored, record);
    if (JSON.stringify(spec.compare(merged)) !== JSON.stringify(spec.compare(stored))) changed.push(merged);
  }
  // New keys are plain inserts (the stores' fast path); only records already stored need an upsert.
  const updated = changed.filter((record) => previous.has(spec.keyOf(record)));
  const added = changed.filter((record) => !previous.has(spec.keyOf(record)));
  if (added.length > 0) {
    await tx.insertRows(spec.table, spec.columns, added.map(spec.row), {
      onConflict: { target: [spec.key], action: 'nothing' },
    });
  }
  if (updated.length > 0) {
    await tx.insertRows(spec.table, spec.columns, updated.map(spec.row), {
      onConflict: { target: [spec.key], action: 'update', ...(spec.update ? { update: spec.update } : {}) },
    });
  }
  return { changed, previous };
}

/**
 * Marks for re-attribution every service whose attribution may depend on what changed: the
 * services of changed deployments (before and after a change of service), of the deployments they
 * roll back or remediate, and, for commits, pull requests and pushes, of the deployments of their
 * repositories or shas and of the components their repositories resolve to.
 */
async function markChangedServices(
  tx: Queryable,
  changes: {
    deployments: readonly Deployment[];
    previous: ReadonlyMap<string, Deployment>;
    commits: readonly Commit[];
    pullRequests: readonly PullRequest[];
    pushRepositories: readonly string[];
    runServices: readonly string[];
  },
): Promise<void> {
  const names = new Set<string>(changes.runServices);
  for (const deployment of changes.deployments) {
    names.add(deployment.service);
    const before = changes.previous.get(deployment.id);
    if (before && before.service !== deployment.service) names.add(before.service);
  }
  const targets = changes.deployments.flatMap((d) => [d.rollbackOf, d.remediates]).filter(isString);
  if (targets.length > 0) {
    const rows = await tx.query<{ service: string }>(
      'SELECT DISTINCT service FROM delivery_deployments WHERE id IN (SELECT unnest($1::text[]))',
      [targets],
    );
    for (const row of rows) names.add(row.service);
  }
  const repositories = new Set<string>(changes.pushRepositories);
  const shas = new Set<string>();
  for (const commit of changes.commits) {
    if (commit.repository) repositories.add(commit.repository);
    if (commit.service) names.add(commit.service);
    shas.add(commit.sha);
  }
  for (const pr of changes.pullRequests) {
    repositories.add(pr.repository);
    if (pr.service) names.add(pr.service);
    if (pr.mergeCommitSha) shas.add(pr.mergeCommitSha);
  }
  for (const repository of repositories) names.add(repository);
  const resolutions = await registerServices(tx, names);
  const keys = new Set([...resolutions.values()].map((resolution) => resolution.serviceKey));
  if (repositories.size > 0 || shas.size > 0) {
    const rows = await tx.query<{ service_key: string }>(
      `SELECT DISTINCT s.service_key FROM delivery_deployments d JOIN delivery_services s ON s.service = d.service
        WHERE lower(d.repository) IN (SELECT unnest($1::text[])) OR d.sha IN (SELECT unnest($2::text[]))`,
      [textList([...repositories].map((repository) => repository.toLowerCase())), textList(shas)],
    );
    for (const row of rows) keys.add(row.service_key);
  }
  await bumpServiceVersions(tx, keys);
}

function isString(value: string | undefined): value is string {
  return typeof value === 'string';
}
