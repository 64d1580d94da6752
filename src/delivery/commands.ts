/**
 * `pave deployment record|explain|list`, `pave ingest cdevents|git|junit`, `pave metrics dora|ci`.
 * Each command calls the same function as the API and returns data, a table and a summary.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext, CommandResult, CommandSpec, OptionSpec } from '../core/command.js';
import { InputError, PaveError, type Problem, toProblemJson } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { reportWindow } from '../core/reportWindow.js';
import { computeCi } from './ciMetrics.js';
import { ciReportTable } from './ciTable.js';
import {
  deliveryConfig,
  incidentWindowSeconds,
  LEAD_TIME_FROM,
  type LeadTimeFrom,
  TIER_YEARS,
  type TierYear,
} from './deliveryConfig.js';
import { doraTable } from './doraTable.js';
import { type DeploymentExplanation, explainDeployment } from './explainDeployment.js';
import type { IngestReport } from './ingestRecords.js';
import { ingestCdeventsFiles, ingestGitRepository, ingestJUnitFiles } from './ingestSources.js';
import { type DeploymentListItem, listDeployments, MAX_DEPLOYMENT_PAGE } from './listDeployments.js';
import { type Bucket, checkTimezone, computeDora } from './metrics.js';
import type { IngestReportJson } from './metricsModel.js';
import { DEPLOYMENT_STATUSES, type DeliveryRecords } from './model.js';
import { type DeploymentInput, deploymentFromInput, recordDeployment } from './recordDeployment.js';

const text = (context: CommandContext, name: string): string | undefined => {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
};

const list = (context: CommandContext, name: string): string[] | undefined => {
  const value = context.values[name];
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [String(value)];
  return values
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
};

/** The stable JSON of an ingest report. */
export function ingestReportJson(report: IngestReport): IngestReportJson {
  const errors = report.problems.filter((problem) => problem.severity === 'error').length;
  return {
    events: report.events,
    stored: report.stored as Record<string, number>,
    unchanged: report.unchanged,
    errors,
    warnings: report.problems.length - errors,
    problems: report.problems.map(toProblemJson),
    unused: report.unused,
  };
}

/** How a summary names each kind of stored record: singular and plural. */
const RECORD_WORDS: Record<keyof DeliveryRecords, readonly [string, string]> = {
  deployments: ['deployment', 'deployments'],
  commits: ['commit', 'commits'],
  pullRequests: ['pull request', 'pull requests'],
  pushes: ['push', 'pushes'],
  pipelineRuns: ['pipeline run', 'pipeline runs'],
  taskRuns: ['task run', 'task runs'],
  testCaseResults: ['test case result', 'test case results'],
  testSuiteRuns: ['test suite run', 'test suite runs'],
  incidentSignals: ['incident signal', 'incident signals'],
  rawEvents: ['event kept raw', 'events kept raw'],
};

/**
 * The result of an ingest. Exit code: 0 when all was stored, 1 when some records were stored and
 * others rejected (a finding), 2 when the input was refused whole (nothing valid in it).
 */
function ingestResultOf(
  report: IngestReport,
  what: string,
  where: string,
  /** What the input's events are (`test case`, `test cases`), and any record named otherwise. */
  words: {
    events?: readonly [string, string];
    records?: Partial<Record<keyof DeliveryRecords, readonly [string, string]>>;
  } = {},
): CommandResult {
  const json = ingestReportJson(report);
  // Events kept raw last: they are what Pave does not use.
  const byUse = Object.entries(json.stored).sort(
    ([a], [b]) => Number(a === 'rawEvents') - Number(b === 'rawEvents'),
  );
  const stored = byUse.map(([table, count]) => {
    const [one, many] = words.records?.[table as keyof DeliveryRecords] ??
      RECORD_WORDS[table as keyof DeliveryRecords] ?? [table, table];
    return `${plural(count, one, many)}${table === 'rawEvents' ? ' (types Pave does not use)' : ''}`;
  });
  const accepted = Object.values(json.stored).reduce((sum, count) => sum + count, 0) + json.unchanged;
  const refusedWhole = json.errors > 0 && accepted === 0 && report.unused.length === 0;
  return {
    exitCode: json.errors === 0 ? 0 : refusedWhole ? 2 : 1,
    data: json,
    // The unused types, when there are any; otherwise the summary says it all.
    ...(report.unused.length > 0
      ? {
          table: {
            columns: [
              { key: 'type', header: 'UNUSED TYPE' },
              { key: 'count', header: 'COUNT' },
              { key: 'reason', header: 'REASON' },
            ],
            rows: report.unused,
          },
        }
      : { text: '' }),
    summary:
      `${what}: ${plural(json.events, ...(words.events ?? ['event', 'events']))} read into ${where}: stored ${stored.join(', ') || 'nothing new'}` +
      `${json.unchanged > 0 ? `; ${json.unchanged} already stored` : ''}` +
      `; ${plural(json.errors, 'error')}, ${plural(json.warnings, 'warning')}`,
    problems: report.problems,
  };
}

const record: CommandSpec = {
  name: 'deployment record',
  summary: "record a deployment (Pave's own record, for any CI system); --id makes it idempotent",
  positionals: { max: 0 },
  options: {
    service: {
      type: 'string',
      description: 'the service: a component ref, repository or name',
      valueName: 'ref',
    },
    env: { type: 'string', description: 'the environment, e.g. production', valueName: 'name' },
    sha: { type: 'string', description: 'the deployed commit', valueName: 'sha' },
    status: {
      type: 'string',
      description: `${DEPLOYMENT_STATUSES.join(', ')}`,
      valueName: 'status',
      default: 'success',
    },
    id: {
      type: 'string',
      description: 'your own id for it (e.g. the CI run id): the idempotency key',
      valueName: 'id',
    },
    started: { type: 'string', description: 'when it started (RFC 3339)', valueName: 'time' },
    finished: { type: 'string', description: 'when it finished (RFC 3339; default now)', valueName: 'time' },
    'rollback-of': { type: 'string', description: 'the id of the deployment it rolls back', valueName: 'id' },
    remediates: { type: 'string', description: 'the id of the failed deployment it fixes', valueName: 'id' },
    unplanned: { type: 'boolean', description: 'made because of a production incident (rework)' },
    repository: { type: 'string', description: 'the repository, e.g. acme/checkout', valueName: 'repo' },
    url: { type: 'string', description: 'a link to the run', valueName: 'url' },
  },
  async run(context) {
    const service = text(context, 'service');
    const environment = text(context, 'env');
    if (!service || !environment) throw new InputError('pave deployment record needs --service and --env');
    const status = text(context, 'status');
    if (!DEPLOYMENT_STATUSES.includes(status as (typeof DEPLOYMENT_STATUSES)[number])) {
      throw new InputError(`--status must be one of ${DEPLOYMENT_STATUSES.join(', ')}, not ${status}`);
    }
    const input: DeploymentInput = {
      service,
      environment,
      status: status as (typeof DEPLOYMENT_STATUSES)[number],
      ...optional('id', text(context, 'id')),
      ...optional('sha', text(context, 'sha')),
      ...optional('startedAt', text(context, 'started')),
      ...optional('finishedAt', text(context, 'finished')),
      ...optional('rollbackOf', text(context, 'rollback-of')),
      ...optional('remediates', text(context, 'remediates')),
      ...optional('repository', text(context, 'repository')),
      ...optional('sourceRef', text(context, 'url')),
      ...(context.values.unplanned ? { unplanned: true } : {}),
    };
    // Checked before the database is opened: a bad flag touches nothing.
    withFlagNames(() => deploymentFromInput(input));
    const result = await recordDeployment(await context.openStore(), input);
    const d = result.deployment;
    return {
      data: {
        outcome: result.outcome,
        deployment: d,
        component: result.component,
        warnings: result.warnings,
      },
      text: '',
      summary: `deployment ${d.id}: ${result.outcome} (${result.component ?? d.service} to ${d.environment}, ${d.status})`,
      // A warning, not an error: the deployment is kept (exit 0).
      problems: result.warnings.map((message): Problem => ({ severity: 'warning', message })),
    };
  },
};

/** The flag of `pave deployment record` that sets each field of a deployment input. */
const RECORD_FLAGS: Record<string, string> = {
  service: '--service',
  environment: '--env',
  status: '--status',
  id: '--id',
  sha: '--sha',
  startedAt: '--started',
  finishedAt: '--finished',
  rollbackOf: '--rollback-of',
  remediates: '--remediates',
  unplanned: '--unplanned',
  repository: '--repository',
  sourceRef: '--url',
};

/** Names the problems of a refused deployment by the flags that set the fields, not by JSON pointers. */
function withFlagNames<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof InputError) || error.problems.length === 0) throw error;
    const problems = error.problems.map((problem): Problem => {
      const field = problem.location?.pointer?.slice(1) ?? '';
      const flag = RECORD_FLAGS[field];
      if (!flag) return problem;
      // Field names in messages become flags too: "startedAt is after finishedAt" -> "--started is after --finished".
      const message = problem.message
        .replace(new RegExp(`^${field}: `), '')
        .replace(/\b(startedAt|finishedAt)\b/g, (name) => RECORD_FLAGS[name]!);
      return {
        severity: problem.severity,
        message: message.startsWith(flag) ? message : `${flag}: ${message}`,
      };
    });
    throw new InputError(`invalid deployment: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
}

const explain: CommandSpec = {
  name: 'deployment explain',
  summary: 'why a deployment counts, its changes, and why it failed or not',
  usage: '<id>',
  positionals: { min: 1, max: 1 },
  formats: ['table', 'json'],
  options: {
    env: {
      type: 'string',
      multiple: true,
      description: 'environments counted as production (default: the configured ones)',
      valueName: 'name',
    },
  },
  async run(context) {
    const environments = list(context, 'env');
    const explanation = await explainDeployment(await context.openStore(), context.positionals[0]!, {
      config: deliveryConfig(context.config),
      ...(environments ? { environments } : {}),
    });
    return { data: explanation, text: explanationText(explanation) };
  },
};

function explanationText(e: DeploymentExplanation): string {
  const d = e.deployment;
  const lines = [
    `deployment ${d.id}`,
    `  service      ${e.service.name}${e.service.resolved ? ` -> ${e.service.key} (${e.service.rule})` : ' (not in the catalog)'}`,
    `  environment  ${d.environment}   status ${d.status}   finished ${d.finishedAt ?? '-'}`,
    `  sha          ${d.sha ?? '-'}   source ${d.source}${d.sourceRef ? ` ${d.sourceRef}` : ''}`,
    '',
    `COUNTS: ${e.counted ? 'yes' : 'no'}, ${e.reason}`,
  ];
  if (e.counted) {
    lines.push(
      `  previous deployment: ${e.previous ? `${e.previous.id} (${e.previous.sha ?? 'no sha'}, ${e.previous.finishedAt})` : 'none (baseline)'}`,
      '',
      `CHANGES: ${e.changes.total}${e.baseline ? ' (baseline: its history is not counted as changes)' : ''}`,
      ...e.changes.list.map(
        (c) =>
          `  ${c.sha.slice(0, 12)}  committed ${c.committedAt ?? '?'}  lead ${c.leadSeconds === null ? '?' : hours(c.leadSeconds)}${c.pullRequest ? `  ${c.pullRequest}` : ''}`,
      ),
      ...(e.changes.truncated ? [`  ... ${e.changes.total - e.changes.list.length} more`] : []),
      '',
      `FAILED: ${e.failure}`,
      ...e.failureReasons.map(
        (r) => `  ${r.kind.padEnd(11)} ${r.by}${r.rule ? ` (${r.rule})` : ''}${r.at ? ` at ${r.at}` : ''}`,
      ),
    );
    if (e.recovery) {
      lines.push(
        `RECOVERY: ${e.recovery.seconds === null ? 'not recovered yet (counted as open)' : `${hours(e.recovery.seconds)} (by ${e.recovery.by})`}`,
      );
    }
    lines.push(`REWORK: ${e.rework ? `yes (${e.reworkReason})` : 'no'}`);
    if (e.nearbyIncidents.length > 0) {
      lines.push(
        '',
        'INCIDENTS NEAR IT',
        ...e.nearbyIncidents.map(
          (i) =>
            `  ${i.id}  started ${i.startedAt}  -> ${i.attributedTo ?? 'no deployment'}${i.rule ? ` (${i.rule})` : ''}`,
        ),
      );
    }
  }
  if (e.warnings.length > 0) lines.push('', ...e.warnings.map((w) => `warning: ${w}`));
  return `${lines.join('\n')}\n`;
}

function hours(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

const listCommand: CommandSpec = {
  name: 'deployment list',
  summary: 'list deployments, newest first',
  positionals: { max: 0 },
  options: {
    service: { type: 'string', description: 'a service (ref, repository or name)', valueName: 'ref' },
    env: { type: 'string', description: 'an environment', valueName: 'name' },
    from: { type: 'string', description: 'finished on or after (day or RFC 3339)', valueName: 'date' },
    to: { type: 'string', description: 'finished before (day included, or RFC 3339)', valueName: 'date' },
    limit: { type: 'string', description: 'at most this many (default 100)', valueName: 'n' },
    cursor: {
      type: 'string',
      description: 'continue after the last one listed (the cursor a previous list printed)',
      valueName: 'cursor',
    },
  },
  async run(context) {
    const limit = text(context, 'limit') === undefined ? 100 : Number(text(context, 'limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
      throw new InputError('--limit must be 1 to 100000');
    const store = await context.openStore();
    const filter = {
      ...optional('service', text(context, 'service')),
      ...optional('environment', text(context, 'env')),
      ...optional('from', text(context, 'from')),
      ...optional('to', text(context, 'to')),
    };
    // Pages of at most MAX_DEPLOYMENT_PAGE until --limit is reached or nothing is left.
    const rows: DeploymentListItem[] = [];
    let cursor = text(context, 'cursor');
    do {
      const page = await listDeployments(store, filter, {
        limit: Math.min(limit - rows.length, MAX_DEPLOYMENT_PAGE),
        ...optional('cursor', cursor),
      });
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined && rows.length < limit);
    return {
      data: rows,
      table: {
        columns: [
          { key: 'id', header: 'ID' },
          { key: 'service', header: 'SERVICE' },
          { key: 'environment', header: 'ENV' },
          { key: 'status', header: 'STATUS' },
          { key: 'finishedAt', header: 'FINISHED' },
          { key: 'sha', header: 'SHA' },
        ],
        // The component the deployment counts for; the raw name when the catalog has none.
        rows: rows.map((row) => ({
          ...row,
          service: row.component ?? row.service,
          sha: row.sha?.slice(0, 12),
        })),
      },
      summary: `${plural(rows.length, 'deployment')}${cursor === undefined ? '' : `; more with --cursor ${cursor}`}`,
    };
  },
};

const atomicOption: Record<string, OptionSpec> = {
  atomic: { type: 'boolean', description: 'store nothing if any event is invalid' },
};

/**
 * Runs an ingest on the input files resolved against the working folder (`-` stays stdin), with
 * problems naming each file as the user wrote it.
 */
async function onInputs(
  context: CommandContext,
  ingest: (files: string[]) => Promise<IngestReport>,
): Promise<IngestReport> {
  const missing = context.positionals.filter(
    (name) => name !== '-' && !existsSync(path.resolve(context.cwd, name)),
  );
  if (missing.length > 0) {
    throw new InputError(
      `no such file: ${missing.join(', ')}`,
      missing.map((file) => ({ severity: 'error', message: 'no such file', location: { file } })),
    );
  }
  const written = new Map<string, string>();
  const files = context.positionals.map((name) => {
    if (name === '-') return name;
    const resolved = path.resolve(context.cwd, name);
    written.set(resolved, name);
    return resolved;
  });
  const rename = (problems: Problem[]) => {
    for (const problem of problems) {
      const shown = problem.location?.file && written.get(problem.location.file);
      if (shown) problem.location = { ...problem.location, file: shown };
    }
  };
  try {
    const report = await ingest(files);
    rename(report.problems);
    return report;
  } catch (error) {
    if (error instanceof PaveError) rename(error.problems);
    throw error;
  }
}

const ingestCdevents: CommandSpec = {
  name: 'ingest cdevents',
  summary: 'ingest CDEvents (one event, an array or NDJSON; - reads stdin)',
  usage: '<file>...',
  positionals: { min: 1 },
  options: atomicOption,
  async run(context) {
    const store = await context.openStore();
    const report = await onInputs(context, (files) =>
      ingestCdeventsFiles(store, files, {
        atomic: Boolean(context.values.atomic),
        progress: context.progress,
        stdin: context.stdin,
      }),
    );
    return ingestResultOf(report, 'CDEvents', store.description);
  },
};

const ingestGit: CommandSpec = {
  name: 'ingest git',
  summary: "read a local repository's commits (and tags as production deployments)",
  usage: '<repository path>',
  positionals: { min: 1, max: 1 },
  options: {
    service: {
      type: 'string',
      description: 'the service the repository builds (component ref)',
      valueName: 'ref',
    },
    'deploy-tags': {
      type: 'string',
      description: "tags matching this glob are production deployments, e.g. 'v*'",
      valueName: 'glob',
    },
    ref: {
      type: 'string',
      description: 'read only history reachable from this ref (default: all)',
      valueName: 'ref',
    },
    repository: {
      type: 'string',
      description: "repository name (default: the component's github.com/project-slug, else the folder name)",
      valueName: 'owner/repo',
    },
  },
  async run(context) {
    const repository = path.resolve(context.cwd, context.positionals[0]!);
    if (!existsSync(repository)) {
      throw new InputError(`no such folder: ${context.positionals[0]}`, [
        { severity: 'error', message: 'no such folder', location: { file: context.positionals[0]! } },
      ]);
    }
    const service = text(context, 'service');
    if (!service) throw new InputError('pave ingest git needs --service <ref>');
    const store = await context.openStore();
    const report = await ingestGitRepository(store, repository, {
      service,
      progress: context.progress,
      ...optional('deployTags', text(context, 'deploy-tags')),
      ...optional('ref', text(context, 'ref')),
      ...optional('repository', text(context, 'repository')),
    });
    return ingestResultOf(report, `git history of ${context.positionals[0]}`, store.description, {
      events: ['commit or tag', 'commits and tags'],
      records: { deployments: ['tag as production deployment', 'tags as production deployments'] },
    });
  },
};

const ingestJUnit: CommandSpec = {
  name: 'ingest junit',
  summary: 'ingest JUnit XML test reports',
  usage: '<file>...',
  positionals: { min: 1 },
  options: {
    atomic: { type: 'boolean', description: 'store nothing if any file is invalid' },
    'pipeline-run': {
      type: 'string',
      description: "the pipeline run's id as Pave stores it (e.g. github:run:<id>:<attempt>)",
      valueName: 'id',
    },
    sha: { type: 'string', description: 'the commit tested', valueName: 'sha' },
  },
  async run(context) {
    const store = await context.openStore();
    const report = await onInputs(context, (files) =>
      ingestJUnitFiles(store, files, {
        atomic: Boolean(context.values.atomic),
        progress: context.progress,
        ...optional('pipelineRunId', text(context, 'pipeline-run')),
        ...optional('sha', text(context, 'sha')),
      }),
    );
    return ingestResultOf(report, 'JUnit', store.description, { events: ['test case', 'test cases'] });
  },
};

const windowOptions: Record<string, OptionSpec> = {
  scope: {
    type: 'string',
    description: 'org, service:<ref>, team:<ref>, system:<ref> or domain:<ref>',
    valueName: 'scope',
    default: 'org',
  },
  from: {
    type: 'string',
    description: 'start day or RFC 3339 time (default 90 days before --to)',
    valueName: 'date',
  },
  to: {
    type: 'string',
    description: 'end day, included, or RFC 3339 time, excluded (default now)',
    valueName: 'date',
  },
};

const dora: CommandSpec = {
  name: 'metrics dora',
  summary: 'the five DORA metrics of a scope, with performance tiers',
  positionals: { max: 0 },
  options: {
    ...windowOptions,
    bucket: {
      type: 'string',
      description: 'none, week (ISO, Monday) or month',
      valueName: 'bucket',
      default: 'none',
    },
    env: {
      type: 'string',
      multiple: true,
      description: 'environments counted as production (default: configured, production/prod)',
      valueName: 'name',
    },
    tiers: {
      type: 'string',
      description: 'DORA report for the tiers: 2023 or 2024 (default 2024)',
      valueName: 'year',
    },
    tz: {
      type: 'string',
      description: 'IANA time zone for days, weeks and months (default UTC)',
      valueName: 'zone',
    },
    'lead-time-from': {
      type: 'string',
      description: 'committed (default), authored or merged',
      valueName: 'when',
    },
    'incident-window': {
      type: 'string',
      description:
        'an incident is blamed on a deployment that finished at most this long before it (default delivery.incidentWindow, 24h)',
      valueName: 'duration',
    },
  },
  async run(context) {
    const config = deliveryConfig(context.config);
    const timezone = checkTimezone(text(context, 'tz') ?? 'UTC');
    const bucket = text(context, 'bucket') ?? 'none';
    if (bucket !== 'none' && bucket !== 'week' && bucket !== 'month') {
      throw new InputError(`--bucket must be none, week or month, not ${bucket}`);
    }
    const tiers = text(context, 'tiers');
    if (tiers !== undefined && !(TIER_YEARS as readonly string[]).includes(tiers)) {
      throw new InputError(`--tiers must be ${TIER_YEARS.join(' or ')}, not ${tiers}`);
    }
    const leadTimeFrom = text(context, 'lead-time-from');
    if (leadTimeFrom !== undefined && !(LEAD_TIME_FROM as readonly string[]).includes(leadTimeFrom)) {
      throw new InputError(`--lead-time-from must be ${LEAD_TIME_FROM.join(', ')}, not ${leadTimeFrom}`);
    }
    const environments = list(context, 'env');
    const window = text(context, 'incident-window');
    const incidentWindow =
      window === undefined ? undefined : incidentWindowSeconds(window, '--incident-window');
    const report = await computeDora(await context.openStore(), {
      scope: text(context, 'scope') ?? 'org',
      ...reportWindow({ from: text(context, 'from'), to: text(context, 'to'), timezone }),
      bucket: bucket as Bucket,
      timezone,
      config,
      progress: context.progress,
      ...(environments ? { environments } : {}),
      ...(tiers ? { tiers: tiers as TierYear } : {}),
      ...(leadTimeFrom ? { leadTimeFrom: leadTimeFrom as LeadTimeFrom } : {}),
      ...(incidentWindow ? { incidentWindowSeconds: incidentWindow } : {}),
    });
    const problems: Problem[] = report.warnings.map((message) => ({ severity: 'warning', message }));
    return { data: report, table: doraTable(report), summary: doraSummary(report), problems };
  },
};

function doraSummary(report: Awaited<ReturnType<typeof computeDora>>): string {
  const unattributed = report.unattributed?.deployments ?? 0;
  return (
    `${report.scope}, ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)} (${report.environments.join(', ')}; DORA ${report.tiers} tiers)` +
    (unattributed > 0
      ? `; ${plural(unattributed, 'deployment')} of services not in the catalog (unattributed)`
      : '') +
    `; incidents: ${report.incidents.attributed} attributed, ${report.incidents.unattributed} unattributed`
  );
}

const ci: CommandSpec = {
  name: 'metrics ci',
  summary: 'CI health: pipeline success rate and duration, flaky tests',
  positionals: { max: 0 },
  options: {
    ...windowOptions,
    limit: { type: 'string', description: 'flaky tests listed (default 50)', valueName: 'n' },
  },
  async run(context) {
    const limitText = text(context, 'limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1)
      throw new InputError('--limit must be a positive whole number');
    const report = await computeCi(await context.openStore(), {
      scope: text(context, 'scope') ?? 'org',
      ...reportWindow({ from: text(context, 'from'), to: text(context, 'to') }),
      minSample: deliveryConfig(context.config).minSample,
      limit,
    });
    return {
      data: report,
      table: ciReportTable(report),
      summary: `${report.scope}: ${plural(report.totals.runs, 'run')}, success rate ${
        report.totals.successRate === null ? 'n/a' : `${(report.totals.successRate * 100).toFixed(1)}%`
      }; ${plural(report.totals.testResults, 'test result')}, ${plural(report.totals.flakyTests, 'flaky test')}`,
    };
  },
};

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

export const deliveryCommands: readonly CommandSpec[] = [
  record,
  explain,
  listCommand,
  ingestCdevents,
  ingestGit,
  ingestJUnit,
  dora,
  ci,
];
