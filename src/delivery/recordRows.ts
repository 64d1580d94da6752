/**
 * Delivery records to table rows and back: the one place that knows which column holds which
 * field. Timestamps go in as the records' ISO strings (both stores' bulk paths parse them) and come
 * back as `Date`s, turned back into ISO strings here; sha lists are space-separated text.
 */
import type { SqlParam } from '../store/Store.js';
import type {
  Commit,
  DeliveryRecords,
  DeliverySource,
  Deployment,
  DeploymentStatus,
  PullRequest,
} from './model.js';

type Row = Record<string, unknown>;
type RowOf<T> = (record: T) => SqlParam[];

/** A table, its columns in row order, its key, and how a record becomes a row. */
export interface TableSpec<T> {
  table: string;
  columns: readonly string[];
  key: string;
  row: RowOf<T>;
}

const v = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const list = (shas: readonly string[] | undefined): string | null =>
  shas === undefined ? null : shas.join(' ');

/** `received_at` is added by the ingest, not part of the record. */
export const DEPLOYMENT_COLUMNS = [
  'id',
  'service',
  'environment',
  'production',
  'sha',
  'status',
  'started_at',
  'finished_at',
  'status_at',
  'rollback',
  'rollback_of',
  'remediates',
  'unplanned',
  'repository',
  'artifact',
  'source',
  'source_ref',
  'received_at',
] as const;

export function deploymentRow(d: Deployment, receivedAt: string): SqlParam[] {
  return [
    d.id,
    d.service,
    d.environment,
    v(d.production),
    v(d.sha),
    d.status,
    v(d.startedAt),
    v(d.finishedAt),
    v(d.statusAt),
    v(d.rollback),
    v(d.rollbackOf),
    v(d.remediates),
    v(d.unplanned),
    v(d.repository),
    v(d.artifact),
    d.source,
    v(d.sourceRef),
    receivedAt,
  ];
}

/** A stored deployment row as a record (without `received_at`). */
export function deploymentFromRow(row: Row): Deployment {
  const d: Deployment = {
    id: row.id as string,
    service: row.service as string,
    environment: row.environment as string,
    status: row.status as DeploymentStatus,
    source: row.source as DeliverySource,
  };
  setIf(d, 'production', bool(row.production));
  setIf(d, 'sha', str(row.sha));
  setIf(d, 'startedAt', iso(row.started_at));
  setIf(d, 'finishedAt', iso(row.finished_at));
  setIf(d, 'statusAt', iso(row.status_at));
  setIf(d, 'rollback', bool(row.rollback));
  setIf(d, 'rollbackOf', str(row.rollback_of));
  setIf(d, 'remediates', str(row.remediates));
  setIf(d, 'unplanned', bool(row.unplanned));
  setIf(d, 'repository', str(row.repository));
  setIf(d, 'artifact', str(row.artifact));
  setIf(d, 'sourceRef', str(row.source_ref));
  return d;
}

export const COMMIT_COLUMNS = [
  'sha',
  'parents',
  'authored_at',
  'committed_at',
  'repository',
  'service',
  'source',
] as const;

export function commitRow(c: Commit): SqlParam[] {
  return [c.sha, list(c.parents), v(c.authoredAt), v(c.committedAt), v(c.repository), v(c.service), c.source];
}

export function commitFromRow(row: Row): Commit {
  const c: Commit = { sha: row.sha as string, source: row.source as DeliverySource };
  if (typeof row.parents === 'string') c.parents = splitShas(row.parents);
  setIf(c, 'authoredAt', iso(row.authored_at));
  setIf(c, 'committedAt', iso(row.committed_at));
  setIf(c, 'repository', str(row.repository));
  setIf(c, 'service', str(row.service));
  return c;
}

export const PULL_REQUEST_COLUMNS = [
  'id',
  'repository',
  'number',
  'title',
  'created_at',
  'first_commit_at',
  'first_review_at',
  'approved_at',
  'merged_at',
  'merge_commit_sha',
  'head_sha',
  'base_ref',
  'commits',
  'service',
  'source',
  'source_ref',
] as const;

export function pullRequestRow(p: PullRequest): SqlParam[] {
  return [
    p.id,
    p.repository,
    v(p.number),
    v(p.title),
    v(p.createdAt),
    v(p.firstCommitAt),
    v(p.firstReviewAt),
    v(p.approvedAt),
    v(p.mergedAt),
    v(p.mergeCommitSha),
    v(p.headSha),
    v(p.baseRef),
    list(p.commits),
    v(p.service),
    p.source,
    v(p.sourceRef),
  ];
}

export function pullRequestFromRow(row: Row): PullRequest {
  const p: PullRequest = {
    id: row.id as string,
    repository: row.repository as string,
    source: row.source as DeliverySource,
  };
  if (typeof row.number === 'number') p.number = row.number;
  setIf(p, 'title', str(row.title));
  setIf(p, 'createdAt', iso(row.created_at));
  setIf(p, 'firstCommitAt', iso(row.first_commit_at));
  setIf(p, 'firstReviewAt', iso(row.first_review_at));
  setIf(p, 'approvedAt', iso(row.approved_at));
  setIf(p, 'mergedAt', iso(row.merged_at));
  setIf(p, 'mergeCommitSha', str(row.merge_commit_sha));
  setIf(p, 'headSha', str(row.head_sha));
  setIf(p, 'baseRef', str(row.base_ref));
  if (typeof row.commits === 'string') p.commits = splitShas(row.commits);
  setIf(p, 'service', str(row.service));
  setIf(p, 'sourceRef', str(row.source_ref));
  return p;
}

type Records = { [K in keyof DeliveryRecords]: DeliveryRecords[K][number] };

/** The tables whose records never change once stored: a repeated key is ignored. */
export const APPEND_TABLES: {
  [K in Exclude<keyof DeliveryRecords, 'deployments' | 'commits' | 'pullRequests'>]: TableSpec<Records[K]>;
} = {
  pushes: {
    table: 'delivery_pushes',
    key: 'id',
    columns: ['id', 'repository', 'ref', 'before_sha', 'after_sha', 'commits', 'pushed_at', 'source'],
    row: (p) => [p.id, p.repository, p.ref, p.before, p.after, p.commits.join(' '), v(p.pushedAt), p.source],
  },
  pipelineRuns: {
    table: 'delivery_pipeline_runs',
    key: 'id',
    columns: [
      'id',
      'pipeline',
      'service',
      'repository',
      'sha',
      'ref',
      'status',
      'queued_at',
      'started_at',
      'finished_at',
      'source',
      'source_ref',
    ],
    row: (r) => [
      r.id,
      r.pipeline,
      v(r.service),
      v(r.repository),
      v(r.sha),
      v(r.ref),
      r.status,
      v(r.queuedAt),
      v(r.startedAt),
      r.finishedAt,
      r.source,
      v(r.sourceRef),
    ],
  },
  taskRuns: {
    table: 'delivery_task_runs',
    key: 'id',
    columns: [
      'id',
      'pipeline_run_id',
      'name',
      'pipeline',
      'sha',
      'status',
      'queued_at',
      'started_at',
      'finished_at',
      'source',
      'source_ref',
    ],
    row: (t) => [
      t.id,
      v(t.pipelineRunId),
      t.name,
      v(t.pipeline),
      v(t.sha),
      t.status,
      v(t.queuedAt),
      v(t.startedAt),
      t.finishedAt,
      t.source,
      v(t.sourceRef),
    ],
  },
  testCaseResults: {
    table: 'delivery_test_results',
    key: 'id',
    columns: [
      'id',
      'pipeline_run_id',
      'sha',
      'suite',
      'test',
      'status',
      'duration_seconds',
      'attempt',
      'message',
      'run_at',
      'source',
    ],
    row: (t) => [
      t.id,
      v(t.pipelineRunId),
      v(t.sha),
      v(t.suite),
      t.test,
      t.status,
      v(t.durationSeconds),
      v(t.attempt),
      v(t.message),
      t.at,
      t.source,
    ],
  },
  testSuiteRuns: {
    table: 'delivery_test_suite_runs',
    key: 'id',
    columns: ['id', 'suite', 'pipeline_run_id', 'sha', 'status', 'environment', 'finished_at', 'source'],
    row: (s) => [
      s.id,
      s.suite,
      v(s.pipelineRunId),
      v(s.sha),
      s.status,
      v(s.environment),
      s.finishedAt,
      s.source,
    ],
  },
  incidentSignals: {
    table: 'delivery_incident_signals',
    key: 'id',
    columns: [
      'id',
      'incident_id',
      'incident_source',
      'kind',
      'signal_at',
      'service',
      'environment',
      'sha',
      'artifact',
      'deployment_id',
      'description',
      'ticket_uri',
      'source',
    ],
    row: (s) => [
      s.id,
      s.incidentId,
      s.incidentSource,
      s.kind,
      s.at,
      v(s.service),
      v(s.environment),
      v(s.sha),
      v(s.artifact),
      v(s.deploymentId),
      v(s.description),
      v(s.ticketUri),
      s.source,
    ],
  },
  rawEvents: {
    table: 'delivery_raw_events',
    key: 'id',
    columns: ['id', 'source', 'type', 'received_at', 'reason', 'payload'],
    row: (r) => [r.id, r.source, r.type, r.receivedAt, r.reason, JSON.stringify(r.payload ?? null)],
  },
};

/** Space-separated shas to a list ('' is an empty list: a root commit). */
export function splitShas(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}

/** A stored timestamp as the ISO string records carry. */
export function iso(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  return undefined;
}

/** Seconds since the epoch of a stored timestamp. */
export function epochSeconds(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'string') return Date.parse(value) / 1000;
  if (typeof value === 'number') return value;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function setIf<T, K extends keyof T>(record: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) record[key] = value;
}
