/**
 * `pave slo import|list|get|push|pull|status`: registering SLO specs, sending or pulling their SLI
 * data, and their evaluation. (`pave slo rules` is in ../commands.ts.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { componentsInScope, parseScope } from '../../catalog/index.js';
import type { CommandContext, CommandResult, CommandSpec } from '../../core/command.js';
import { parseDuration } from '../../core/duration.js';
import { InputError, type Problem, toProblemJson } from '../../core/errors.js';
import { plural } from '../../core/plural.js';
import { evaluateSlos } from './evaluateSlos.js';
import type { SloDetail, SloStatus } from './model.js';
import { parseInstant } from './parseInstant.js';
import { DEFAULT_PULL_STEP_SECONDS, pullSli } from './pullSli.js';
import { readSliPointsText } from './readSliPoints.js';
import { registerSlos } from './registerSlos.js';
import { configuredPrometheusUrl } from './sloConfig.js';
import { getSlo, listSlos } from './sloQueries.js';
import { writeSliPoints } from './writeSliPoints.js';

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a named file, `-` for standard input; an unreadable file is an input error. */
async function readInput(name: string, context: CommandContext): Promise<{ file: string; text: string }> {
  if (name === '-') return { file: 'stdin', text: await readStdin(context.stdin) };
  try {
    return { file: name, text: await readFile(path.resolve(context.cwd, name), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a folder, not a file'
          : (error as Error).message;
    throw new InputError(`cannot read ${name}: ${reason}`, [
      { severity: 'error', message: reason, location: { file: name } },
    ]);
  }
}

function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
}

const scopeOption = {
  scope: {
    type: 'string',
    valueName: 'scope',
    description: 'org (default), team:<group ref> (with its child teams) or service:<component ref>',
  },
} as const;

const importCommand: CommandSpec = {
  name: 'slo import',
  summary: 'register OpenSLO v1 or Sloth SLO specs (all or nothing; re-importing is idempotent)',
  usage: '<spec file>... (- for standard input)',
  positionals: { min: 1 },
  async run(context) {
    const inputs = [];
    for (const name of context.positionals) inputs.push(await readInput(name, context));
    const store = await context.openStore();
    const report = await registerSlos(store, inputs, { source: 'cli' });
    const warnings = report.problems.length;
    return {
      data: { ...report, errors: 0, warnings, problems: report.problems.map(toProblemJson) },
      table: {
        columns: [
          { key: 'id', header: 'SLO' },
          { key: 'component', header: 'COMPONENT' },
          { key: 'change', header: 'CHANGE' },
        ],
        rows: report.slos,
      },
      summary: `registered in ${store.description}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged (${plural(warnings, 'warning')})`,
      problems: report.problems,
    };
  },
};

const list: CommandSpec = {
  name: 'slo list',
  summary: 'list registered SLOs',
  positionals: { max: 0 },
  options: scopeOption,
  async run(context) {
    const store = await context.openStore();
    const components = await componentsInScope(store, parseScope(stringOption(context, 'scope')));
    const slos = await listSlos(store, components ? { components } : {});
    return {
      data: slos,
      table: {
        columns: [
          { key: 'id', header: 'SLO' },
          { key: 'service', header: 'SERVICE' },
          { key: 'objective', header: 'OBJECTIVE %' },
          { key: 'window', header: 'WINDOW' },
          { key: 'budgetingMethod', header: 'BUDGETING' },
          { key: 'component', header: 'COMPONENT' },
        ],
        rows: slos.map((slo) => ({ ...slo, window: `${slo.window.duration} ${slo.window.type}` })),
      },
      summary: plural(slos.length, 'SLO'),
    };
  },
};

const get: CommandSpec = {
  name: 'slo get',
  summary: 'show one SLO: its spec and the extent of its SLI data',
  usage: '<slo id>',
  positionals: { min: 1, max: 1 },
  formats: ['table', 'json'],
  async run(context) {
    const detail = await getSlo(await context.openStore(), context.positionals[0]!);
    return { data: detail, text: sloDetailText(detail) };
  },
};

/** `pave slo get` for people: the SLO's figures and its SLI data; `-o json` has the whole spec. */
function sloDetailText(detail: SloDetail): string {
  const { sli } = detail;
  const timeSlices =
    detail.budgetingMethod !== 'Occurrences' && detail.timeSliceTarget !== undefined
      ? ` (slices of ${detail.timeSliceWindow ?? '?'} good at ${detail.timeSliceTarget})`
      : '';
  const rows: [string, string][] = [
    ['service', detail.service],
    ['component', `${detail.component}${detail.componentInCatalog ? '' : ' (not in the catalog)'}`],
    ['objective', `${detail.objective}%`],
    ['window', `${detail.window.duration} ${detail.window.type}`],
    ['budgeting', `${detail.budgetingMethod}${timeSlices}`],
    ['format', `${detail.format} (registered by ${detail.source}, updated ${detail.updatedAt})`],
    [
      'SLI data',
      sli.points === 0
        ? 'none yet (pave slo push or pave slo pull)'
        : `${plural(sli.points, 'point')} from ${sli.firstStart} to ${sli.lastEnd}`,
    ],
  ];
  const title = `${detail.id}${detail.displayName ? `  (${detail.displayName})` : ''}`;
  return `${[title, ...rows.map(([name, value]) => `  ${name.padEnd(10)}  ${value}`)].join('\n')}\n`;
}

const push: CommandSpec = {
  name: 'slo push',
  summary: 'send SLI data for an SLO: JSON {"points":[{start,end,good,total}]} or CSV start,end,good,total',
  usage: '<slo id> <file> (- for standard input)',
  positionals: { min: 2, max: 2 },
  async run(context) {
    const [id, name] = context.positionals as [string, string];
    const input = await readInput(name, context);
    const read = readSliPointsText(input.text, input.file);
    if (read.problems.length > 0) {
      throw new InputError(
        `${plural(read.problems.length, 'problem')} in ${input.file}: nothing was stored`,
        read.problems,
      );
    }
    const store = await context.openStore();
    const report = await writeSliPoints(store, id, read.points, { source: 'push' });
    return {
      data: report,
      table: {
        columns: ['slo', 'received', 'added', 'updated', 'unchanged'].map((key) => ({
          key,
          header: key.toUpperCase(),
        })),
        rows: [report],
      },
      summary: `${plural(report.received, 'point')} for ${id}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged`,
    };
  },
};

const pull: CommandSpec = {
  name: 'slo pull',
  summary: "pull SLI data from Prometheus's HTTP API (query_range) for SLOs with Prometheus queries",
  usage: '[<slo id>...]',
  options: {
    prometheus: {
      type: 'string',
      valueName: 'url',
      description: 'Prometheus base URL (default reliability.prometheus.url or PAVE_PROMETHEUS_URL)',
    },
    from: {
      type: 'string',
      valueName: 'time',
      description: 'start (default: where the last pull ended, or one window back)',
    },
    to: { type: 'string', valueName: 'time', description: 'end (default now)' },
    step: {
      type: 'string',
      valueName: 'duration',
      description: `one point per step (default ${DEFAULT_PULL_STEP_SECONDS / 60}m)`,
    },
  },
  async run(context) {
    const url = stringOption(context, 'prometheus') ?? configuredPrometheusUrl(context.config);
    if (!url) {
      throw new InputError(
        'no Prometheus to pull from: pass --prometheus http://host:9090, or set reliability.prometheus.url in pave.yaml or PAVE_PROMETHEUS_URL',
      );
    }
    const now = new Date();
    const fromText = stringOption(context, 'from');
    const toText = stringOption(context, 'to');
    const stepText = stringOption(context, 'step');
    let stepSeconds = DEFAULT_PULL_STEP_SECONDS;
    if (stepText !== undefined) {
      try {
        stepSeconds = parseDuration(stepText);
      } catch (error) {
        throw new InputError(`--step: ${(error as Error).message}`);
      }
      if (!Number.isInteger(stepSeconds) || stepSeconds < 1)
        throw new InputError('--step must be a whole number of seconds, at least 1s');
    }
    const to = toText ? parseInstant(toText, '--to', now) : now;
    const from = fromText ? parseInstant(fromText, '--from', now) : undefined;
    if (from && from >= to) throw new InputError('--from must be before --to');
    const store = await context.openStore();
    const results = await pullSli(store, {
      url,
      to,
      stepSeconds,
      ...(from ? { from } : {}),
      ...(context.positionals.length > 0 ? { ids: context.positionals } : {}),
    });
    const failed = results.filter((result) => result.status === 'failed');
    const problems: Problem[] = results
      .filter((result) => result.status !== 'pulled')
      .map((result) => ({
        severity: result.status === 'failed' ? 'error' : 'warning',
        message: `${result.status}: ${result.reason ?? ''}`,
        entityRef: `SLO ${result.slo}`,
      }));
    const pulled = results.filter((result) => result.status === 'pulled');
    return {
      exitCode: failed.length > 0 ? 1 : 0,
      data: results,
      table: {
        columns: [
          { key: 'slo', header: 'SLO' },
          { key: 'status', header: 'STATUS' },
          { key: 'from', header: 'FROM' },
          { key: 'to', header: 'TO' },
          { key: 'points', header: 'POINTS' },
          { key: 'added', header: 'ADDED' },
          { key: 'updated', header: 'UPDATED' },
          { key: 'reason', header: 'REASON' },
        ],
        rows: results.map((result) => ({
          ...result,
          added: result.write?.added,
          updated: result.write?.updated,
        })),
      },
      summary: `pulled ${plural(pulled.length, 'SLO')} from ${url} (${plural(
        pulled.reduce((n, r) => n + (r.points ?? 0), 0),
        'point',
      )}); ${results.length - pulled.length - failed.length} skipped, ${failed.length} failed`,
      problems,
    };
  },
};

/** The table row of one SLO status: numbers rounded, nulls empty. */
function statusRow(status: SloStatus) {
  return {
    slo: status.slo,
    service: status.service,
    objective: status.objective,
    window: `${status.window.duration} ${status.window.type}`,
    attainment: status.attainment,
    budget: status.errorBudgetRemaining,
    burn1h: status.burnRates['1h'],
    burn6h: status.burnRates['6h'],
    burn1d: status.burnRates['1d'],
    burn3d: status.burnRates['3d'],
    exhaustion:
      status.exhaustionForecast.at ??
      (status.exhaustionForecast.status === 'forecast' ? '' : status.exhaustionForecast.status),
    policy: status.policyState,
  };
}

const status: CommandSpec = {
  name: 'slo status',
  summary: 'evaluate SLOs: attainment, error budget, burn rates, exhaustion forecast, error-budget policy',
  usage: '[<slo id>...]',
  options: {
    ...scopeOption,
    at: {
      type: 'string',
      valueName: 'time',
      description: 'evaluate at this time (default now), e.g. 2026-01-31',
    },
  },
  async run(context) {
    const atText = stringOption(context, 'at');
    const at = atText ? parseInstant(atText, '--at') : new Date();
    const store = await context.openStore();
    const statuses = await evaluateSlos(store, {
      at,
      scope: parseScope(stringOption(context, 'scope')),
      ...(context.positionals.length > 0 ? { ids: context.positionals } : {}),
    });
    const missing = context.positionals.filter((id) => !statuses.some((s) => s.slo === id));
    if (missing.length > 0) throw new InputError(`no SLO registered with id ${missing.join(', ')}`);
    const count = (state: string) => statuses.filter((s) => s.policyState === state).length;
    const result: CommandResult = {
      data: { at: at.toISOString(), slos: statuses },
      table: {
        columns: [
          { key: 'slo', header: 'SLO' },
          { key: 'service', header: 'SERVICE' },
          { key: 'objective', header: 'OBJECTIVE %' },
          { key: 'window', header: 'WINDOW' },
          { key: 'attainment', header: 'ATTAINMENT %' },
          { key: 'budget', header: 'BUDGET LEFT %' },
          { key: 'burn1h', header: 'BURN 1h' },
          { key: 'burn6h', header: 'BURN 6h' },
          { key: 'burn1d', header: 'BURN 1d' },
          { key: 'burn3d', header: 'BURN 3d' },
          { key: 'exhaustion', header: 'EXHAUSTION' },
          { key: 'policy', header: 'POLICY' },
        ],
        rows: statuses.map(statusRow),
      },
      summary: `${plural(statuses.length, 'SLO')} at ${at.toISOString()}: ${count('release_freeze')} release freeze, ${count('postmortem_required')} postmortem required, ${count('ok')} ok, ${count('no_data')} no data`,
    };
    return result;
  },
};

/** The SLO commands of this part: registration, SLI data and evaluation. */
export const sloEvaluationCommands: CommandSpec[] = [importCommand, list, get, push, pull, status];
