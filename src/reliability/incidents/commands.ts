/**
 * `pave incident create|update|get|list|import|stats` and `pave oncall load`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { componentsInScope, parseScope } from '../../catalog/index.js';
import type { CommandContext, CommandResult, CommandSpec, OptionSpec } from '../../core/command.js';
import { InputError, PaveError, type Problem, toProblemJson } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import { type MetricStatus, sampleStatus } from '../../core/quantile.js';
import { parseWindowBound, reportWindow } from '../../core/reportWindow.js';
import { createIncident, updateIncident } from './editIncident.js';
import { importIncidents, importOutcome } from './importIncidents.js';
import { incidentsConfig } from './incidentsConfig.js';
import { IMPORT_FORMATS, isImportFormat } from './ingest/readIncidents.js';
import { INCIDENT_STATUSES, type Incident } from './model.js';
import { getIncident, type IncidentFilter, listAllIncidents } from './queries.js';
import { parseSeverity, SEVERITY_FORMS } from './severity.js';
import { incidentStats, onCallLoadReport } from './stats.js';
import { AtomicImportRefused } from './storeIncidents.js';

const string = (description: string, valueName = 'value'): OptionSpec => ({
  type: 'string',
  description,
  valueName,
});
const list = (description: string, valueName = 'value'): OptionSpec => ({
  type: 'string',
  multiple: true,
  description,
  valueName,
});

/** Flags that set incident fields, for create and update: flag -> JSON field. */
const FIELD_FLAGS: Record<string, { field: string; option: OptionSpec }> = {
  title: { field: 'title', option: string('title', 'text') },
  description: { field: 'description', option: string('description', 'text') },
  severity: { field: 'severity', option: string('SEV1-SEV5 or P1-P5', 'sev') },
  started: { field: 'startedAt', option: string('when the impact started (ISO 8601 with a zone)', 'time') },
  detected: { field: 'detectedAt', option: string('when it was detected', 'time') },
  acknowledged: { field: 'acknowledgedAt', option: string('first acknowledgement', 'time') },
  mitigated: { field: 'mitigatedAt', option: string('when the impact ended', 'time') },
  resolved: { field: 'resolvedAt', option: string('when it was resolved', 'time') },
  closed: { field: 'closedAt', option: string('when the record was closed', 'time') },
  service: { field: 'services', option: list('affected component (ref or name); repeat for several', 'ref') },
  team: { field: 'teams', option: list('responding team (group ref); repeat for several', 'ref') },
  cause: {
    field: 'causeCategory',
    option: string('cause category, e.g. deployment, config, platform', 'category'),
  },
  deployment: { field: 'deploymentIds', option: list('linked deployment id; repeat for several', 'id') },
  sha: { field: 'shas', option: list('linked commit; repeat for several', 'sha') },
  url: { field: 'url', option: string('link to the incident elsewhere', 'url') },
  'postmortem-url': { field: 'postmortem.url', option: string('postmortem document', 'url') },
  'postmortem-status': {
    field: 'postmortem.status',
    option: string('not_started, draft, in_review or complete', 'status'),
  },
  'postmortem-due': { field: 'postmortem.dueDate', option: string('postmortem due day, YYYY-MM-DD', 'day') },
  'postmortem-completed': {
    field: 'postmortem.completedAt',
    option: string('when the postmortem was completed', 'time'),
  },
};

const fieldOptions = Object.fromEntries(
  Object.entries(FIELD_FLAGS).map(([flag, { option }]) => [flag, option]),
);

/** The JSON a command's flags (and `--file`) describe. */
function bodyFromFlags(context: CommandContext): Record<string, unknown> {
  const file = context.values.file;
  const body: Record<string, unknown> =
    typeof file === 'string'
      ? (readJson(path.resolve(context.cwd, file), file) as Record<string, unknown>)
      : {};
  for (const [flag, { field }] of Object.entries(FIELD_FLAGS)) {
    const value = context.values[flag];
    if (value === undefined) continue;
    if (field.startsWith('postmortem.')) {
      const postmortem = (
        typeof body.postmortem === 'object' && body.postmortem !== null ? body.postmortem : {}
      ) as Record<string, unknown>;
      postmortem[field.slice('postmortem.'.length)] = value;
      body.postmortem = postmortem;
    } else body[field] = value;
  }
  if (context.values['platform-caused']) body.platformCaused = true;
  if (context.values['not-platform-caused']) body.platformCaused = false;
  return body;
}

function readJson(file: string, name: string): unknown {
  const text = readText(file, name);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: not valid JSON: ${(error as Error).message}`, [
      { severity: 'error', message: `not valid JSON: ${(error as Error).message}`, location: { file: name } },
    ]);
  }
}

function readText(file: string, name: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function describeIncident(incident: Incident): string {
  const line = (label: string, value: string | undefined) =>
    value ? [`  ${label.padEnd(14)} ${value}`] : [];
  const lines = [
    `${incident.id}  ${incident.severity ?? '(no severity)'}  ${incident.status}`,
    `  ${incident.title}`,
    ...line('started', incident.startedAt),
    ...line('detected', incident.detectedAt),
    ...line('acknowledged', incident.acknowledgedAt),
    ...line('mitigated', incident.mitigatedAt),
    ...line('resolved', incident.resolvedAt),
    ...line('closed', incident.closedAt),
    ...line('services', incident.services.join(', ')),
    ...line('cause', incident.causeCategory),
    ...line('platform', incident.platformCaused === undefined ? undefined : String(incident.platformCaused)),
    ...line('deployments', incident.deploymentIds.join(', ')),
    ...line(
      'postmortem',
      incident.postmortem
        ? `${incident.postmortem.status}${incident.postmortem.url ? ` ${incident.postmortem.url}` : ''}`
        : undefined,
    ),
    ...(incident.actionItems.length > 0
      ? [
          '',
          'ACTION ITEMS',
          ...incident.actionItems.map(
            (item) => `  ${item.status.padEnd(12)} ${item.dueDate ?? '          '} ${item.title}`,
          ),
        ]
      : []),
    ...(incident.timeline.length > 0
      ? [
          '',
          'TIMELINE',
          ...incident.timeline.map(
            (event) => `  ${event.at}  ${event.type}${event.message ? `: ${event.message}` : ''}`,
          ),
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

const create: CommandSpec = {
  name: 'incident create',
  summary: 'record an incident (from flags or --file incident.json)',
  positionals: { max: 0 },
  options: {
    id: string('your id for it (stored as pave:<id>); generated when absent', 'id'),
    file: string('Pave incident JSON (flags override its fields)', 'file'),
    ...fieldOptions,
    'platform-caused': { type: 'boolean', description: 'the platform caused it' },
    'not-platform-caused': { type: 'boolean', description: 'the platform did not cause it' },
  },
  async run(context) {
    const body = bodyFromFlags(context);
    if (typeof context.values.id === 'string') body.id = context.values.id;
    const { incident, problems } = await createIncident(await context.openStore(), body, {
      file: 'command line',
    });
    return { data: incident, text: describeIncident(incident), problems };
  },
};

const update: CommandSpec = {
  name: 'incident update',
  summary: 'change an incident: flags, --clear <field>, or --file patch.json (a JSON merge patch)',
  usage: '<id>',
  positionals: { min: 1, max: 1 },
  options: {
    file: string('a JSON merge patch (flags override its fields)', 'file'),
    clear: list('a field to clear, e.g. resolvedAt; repeat for several', 'field'),
    ...fieldOptions,
    'platform-caused': { type: 'boolean', description: 'the platform caused it' },
    'not-platform-caused': { type: 'boolean', description: 'the platform did not cause it' },
  },
  async run(context) {
    const patch = bodyFromFlags(context);
    for (const field of (context.values.clear as string[] | undefined) ?? []) patch[field] = null;
    if (Object.keys(patch).length === 0)
      throw new InputError('nothing to update: give a flag, --clear or --file');
    const { incident, problems } = await updateIncident(
      await context.openStore(),
      context.positionals[0]!,
      patch,
      {
        file: 'command line',
      },
    );
    return { data: incident, text: describeIncident(incident), problems };
  },
};

const get: CommandSpec = {
  name: 'incident get',
  summary: 'show one incident with its timeline, postmortem and action items',
  usage: '<id>',
  positionals: { min: 1, max: 1 },
  formats: ['table', 'json'],
  async run(context) {
    const incident = await getIncident(await context.openStore(), context.positionals[0]!);
    return { data: incident, text: describeIncident(incident) };
  },
};

const listCommand: CommandSpec = {
  name: 'incident list',
  summary: 'list incidents, newest first',
  positionals: { max: 0 },
  options: {
    source: string(
      `where it came from: ${['pagerduty', 'opsgenie', 'cdevents', 'csv', 'pave', 'demo'].join(', ')}`,
      'source',
    ),
    severity: string('SEV1-SEV5 or P1-P5', 'sev'),
    status: string(INCIDENT_STATUSES.join(', '), 'status'),
    service: string('affecting this component', 'ref'),
    team: string("affecting this team's components", 'ref'),
    from: string('started at or after (2024-05-01 or a timestamp)', 'date'),
    to: string('started before', 'date'),
    search: string('text in the title, ignoring case', 'text'),
  },
  async run(context): Promise<CommandResult> {
    const store = await context.openStore();
    const values = context.values;
    const filter: IncidentFilter = {};
    if (typeof values.source === 'string') filter.source = values.source;
    if (typeof values.severity === 'string') {
      const severity = parseSeverity(values.severity);
      if (!severity)
        throw new InputError(`--severity: unknown severity "${values.severity}": use ${SEVERITY_FORMS}`);
      filter.severity = severity;
    }
    if (typeof values.status === 'string') {
      if (!(INCIDENT_STATUSES as readonly string[]).includes(values.status))
        throw new InputError(`--status must be one of ${INCIDENT_STATUSES.join(', ')}, not ${values.status}`);
      filter.status = values.status as IncidentFilter['status'];
    }
    if (typeof values.service === 'string')
      filter.service = (parseScope(`service:${values.service}`) as { ref: string }).ref;
    if (typeof values.team === 'string')
      filter.services = (await componentsInScope(store, parseScope(`team:${values.team}`))) ?? [];
    if (typeof values.from === 'string') filter.from = parseWindowBound(values.from, 'from', 'UTC');
    if (typeof values.to === 'string') filter.to = parseWindowBound(values.to, 'to', 'UTC');
    if (typeof values.search === 'string') filter.q = values.search;
    const incidents = await listAllIncidents(store, filter);
    return {
      data: incidents,
      table: {
        columns: [
          { key: 'id', header: 'ID' },
          { key: 'severity', header: 'SEV' },
          { key: 'status', header: 'STATUS' },
          { key: 'startedAt', header: 'STARTED' },
          { key: 'services', header: 'SERVICES' },
          { key: 'title', header: 'TITLE' },
        ],
        rows: incidents.map((incident) => ({ ...incident, services: incident.services.join(' ') })),
      },
      summary: plural(incidents.length, 'incident'),
    };
  },
};

const importCommand: CommandSpec = {
  name: 'incident import',
  summary: `import incident files: --source ${IMPORT_FORMATS.join('|')}`,
  usage: '--source <format> <file>...',
  positionals: { min: 1 },
  options: {
    source: string(`the files' format: ${IMPORT_FORMATS.join(', ')}`, 'format'),
    atomic: { type: 'boolean', description: 'import nothing from a file with any error' },
  },
  async run(context) {
    const source = context.values.source;
    if (typeof source !== 'string' || !isImportFormat(source)) {
      throw new InputError(
        `--source must be one of ${IMPORT_FORMATS.join(', ')}${typeof source === 'string' ? `, not ${source}` : ''}`,
      );
    }
    const store = await context.openStore();
    const files = context.positionals;
    const totals = { read: 0, rejected: 0, notifications: 0 };
    // Each incident counts once over all the files: created beats updated beats unchanged.
    const outcomes = new Map<string, IncidentOutcome>();
    const refusedFiles: string[] = [];
    const problems: Problem[] = [];
    context.progress.start('importing incidents', files.length);
    for (const file of files) {
      try {
        const text = readText(path.resolve(context.cwd, file), file);
        const report = await importIncidents(store, text, source, {
          file,
          atomic: Boolean(context.values.atomic),
        });
        totals.read += report.read;
        totals.rejected += report.rejected;
        totals.notifications += report.notifications;
        for (const outcome of INCIDENT_OUTCOMES) {
          for (const id of report.ids[outcome]) {
            const earlier = outcomes.get(id);
            if (!earlier || INCIDENT_OUTCOMES.indexOf(outcome) < INCIDENT_OUTCOMES.indexOf(earlier))
              outcomes.set(id, outcome);
          }
        }
        problems.push(...report.problems);
      } catch (error) {
        // One bad file does not stop the others; it is reported with its problems.
        if (error instanceof AtomicImportRefused) {
          refusedFiles.push(file);
          totals.read += error.report.read;
          totals.rejected += error.report.rejected;
        } else if (!(error instanceof PaveError)) throw error;
        problems.push(
          ...(error.problems.length > 0
            ? error.problems
            : [{ severity: 'error' as const, message: error.message, location: { file } }]),
        );
      }
      context.progress.tick();
    }
    context.progress.done();
    const counted = (outcome: IncidentOutcome) => [...outcomes.values()].filter((o) => o === outcome).length;
    const counts = { added: counted('added'), updated: counted('updated'), unchanged: counted('unchanged') };
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    const outcome = importOutcome({ errors, ...counts });
    return {
      exitCode: outcome === 'ok' ? 0 : outcome === 'partial' ? 1 : 2,
      text: '',
      data: {
        files: files.length,
        read: totals.read,
        ...counts,
        rejected: totals.rejected,
        notifications: totals.notifications,
        errors,
        warnings,
        problems: problems.map(toProblemJson),
      },
      summary: importSummary({
        ...totals,
        ...counts,
        files: files.length,
        refusedFiles,
        errors,
        warnings,
        into: store.description,
      }),
      problems,
    };
  },
};

/** The order an incident's outcomes rank in when several files touch it. */
const INCIDENT_OUTCOMES = ['added', 'updated', 'unchanged'] as const;
type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];

/** The import's line for a terminal: incidents created, updated and unchanged, records rejected. */
function importSummary(totals: {
  files: number;
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  notifications: number;
  refusedFiles: readonly string[];
  errors: number;
  warnings: number;
  into: string;
}): string {
  const issues = [
    ...(totals.errors > 0 ? [plural(totals.errors, 'error')] : []),
    ...(totals.warnings > 0 ? [plural(totals.warnings, 'warning')] : []),
  ].join(', ');
  const files = plural(totals.files, 'file');
  const stored = totals.added + totals.updated + totals.unchanged;
  if (stored === 0) {
    if (totals.refusedFiles.length === totals.files)
      return `nothing was imported (atomic): ${plural(totals.errors, 'error')} in ${files}`;
    // Errors without rejected records are files that could not be read at all.
    const why =
      totals.errors === 0
        ? ': no incident records in the input'
        : totals.rejected > 0
          ? `: ${plural(totals.rejected, 'record')} rejected`
          : '';
    return `nothing was imported from ${files}${why}${issues ? ` (${issues})` : ''}`;
  }
  const refused =
    totals.refusedFiles.length > 0
      ? `; nothing was imported from ${totals.refusedFiles.join(', ')} (atomic)`
      : '';
  return (
    `imported ${files} into ${totals.into}: ${plural(totals.added, 'incident')} created, ` +
    `${totals.updated} updated, ${totals.unchanged} unchanged, ${plural(totals.rejected, 'record')} rejected; ` +
    `${plural(totals.notifications, 'new page')}${issues ? ` (${issues})` : ''}${refused}`
  );
}

const windowOptions = {
  scope: string('org, team:<group ref> or service:<component ref> (default org)', 'scope'),
  from: string('start: a day (2024-05-01) or a timestamp (default 90 days before --to)', 'date'),
  to: string('end: a day (included) or a timestamp (excluded); default now', 'date'),
};

function windowOf(context: CommandContext) {
  const from = typeof context.values.from === 'string' ? context.values.from : undefined;
  const to = typeof context.values.to === 'string' ? context.values.to : undefined;
  return reportWindow({ from, to });
}

const round = (value: number) => `${Math.round(value * 100) / 100}`;
const percent = (ratio: number) => `${round(ratio * 100)}%`;

/**
 * A metric's table cell: its value, or why there is none, in the words of the JSON's `status`
 * (`insufficient data (n=3)` for `insufficient_data`, `no data` for `no_data`).
 */
function metricCell(status: MetricStatus, n: number, value: () => string): string {
  if (status === 'no_data') return 'no data';
  if (status === 'insufficient_data') return `insufficient data (n=${n})`;
  return value();
}

const stats: CommandSpec = {
  name: 'incident stats',
  summary: 'MTTA, MTTR, platform-caused, recurrence, postmortem completion and action items',
  positionals: { max: 0 },
  options: windowOptions,
  async run(context) {
    const store = await context.openStore();
    const scope = parseScope(typeof context.values.scope === 'string' ? context.values.scope : 'org');
    const config = incidentsConfig(context.config);
    const report = await incidentStats(store, { scope, ...windowOf(context), config });
    const { mttaSeconds: mtta, mttrSeconds: mttr, recurrence, postmortemCompletion: postmortems } = report;
    // The platform-caused rate has no status field of its own: its sample is the incidents.
    const platformRate = metricCell(sampleStatus(report.incidents, config.minSample), report.incidents, () =>
      percent(report.platformCausedRate ?? 0),
    );
    const rows = [
      { metric: 'incidents', value: String(report.incidents), n: '' },
      {
        metric: 'MTTA p50 / p90 (s)',
        value: metricCell(mtta.status, mtta.n, () => `${round(mtta.p50 ?? 0)} / ${round(mtta.p90 ?? 0)}`),
        n: String(mtta.n),
      },
      {
        metric: 'MTTR p50 / p90 (s)',
        value: metricCell(mttr.status, mttr.n, () => `${round(mttr.p50 ?? 0)} / ${round(mttr.p90 ?? 0)}`),
        n: String(mttr.n),
      },
      {
        metric: 'platform-caused',
        value: `${report.platformCaused} (${platformRate})`,
        n: String(report.incidents),
      },
      {
        metric: `recurrence (${recurrence.windowDays} d)`,
        value: metricCell(recurrence.status, recurrence.eligible, () => percent(recurrence.rate ?? 0)),
        n: String(recurrence.eligible),
      },
      {
        metric: `postmortems in ${postmortems.businessDays} business days`,
        value: metricCell(postmortems.status, postmortems.due, () => percent(postmortems.rate ?? 0)),
        n: String(postmortems.due),
      },
      {
        metric: 'action items open / overdue / done',
        value: `${report.actionItems.open} / ${report.actionItems.overdue} / ${report.actionItems.done}`,
        n: String(report.actionItems.total),
      },
    ];
    return {
      data: report,
      table: {
        columns: [
          { key: 'metric', header: 'METRIC' },
          { key: 'value', header: 'VALUE' },
          { key: 'n', header: 'N' },
        ],
        rows,
      },
      summary: `${report.scope}, ${report.from} to ${report.to}`,
    };
  },
};

const load: CommandSpec = {
  name: 'oncall load',
  summary: 'pages and interruptions (business, off and sleep hours) per team and week',
  positionals: { max: 0 },
  options: windowOptions,
  async run(context) {
    const store = await context.openStore();
    const scope = parseScope(typeof context.values.scope === 'string' ? context.values.scope : 'org');
    const report = await onCallLoadReport(store, {
      scope,
      ...windowOf(context),
      config: incidentsConfig(context.config),
    });
    const rows = report.teams.flatMap((team) => team.weeks.map((week) => ({ team: team.team, ...week })));
    return {
      data: report,
      table: {
        columns: [
          { key: 'team', header: 'TEAM' },
          { key: 'week', header: 'WEEK' },
          { key: 'pages', header: 'PAGES' },
          { key: 'interruptions', header: 'INTERRUPTIONS' },
          { key: 'businessHours', header: 'BUSINESS' },
          { key: 'offHours', header: 'OFF' },
          { key: 'sleepHours', header: 'SLEEP' },
          { key: 'pagesPerShift', header: 'PER SHIFT' },
          { key: 'shiftsOverLimit', header: 'OVERLOADED SHIFTS' },
        ],
        rows,
      },
      summary: `${plural(report.teams.length, 'team')}, ${report.shiftHours}-hour shifts, ${report.scope}, ${report.from} to ${report.to}`,
    };
  },
};

export const incidentCommands: readonly CommandSpec[] = [
  create,
  update,
  get,
  listCommand,
  importCommand,
  stats,
  load,
];
