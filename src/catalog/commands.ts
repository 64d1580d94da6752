/**
 * `pave catalog validate|import|list|get|graph`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext, CommandResult, CommandSpec, Table } from '../core/command.js';
import { InputError, type Problem, toProblemJson } from '../core/errors.js';
import { plural } from '../core/plural.js';
import { catalogConfig } from './catalogConfig.js';
import { checkCatalog } from './checkCatalog.js';
import { DEFAULT_GRAPH_DEPTH, entityGraph, type GraphDirection } from './entityGraph.js';
import { importCatalog } from './importCatalog.js';
import { fileLocationKey, readCatalogFiles } from './ingest/backstage.js';
import { type EntityFilter, getEntity, listAllEntities } from './queries.js';

function counts(problems: readonly Problem[]) {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** The paths given, once each is known to exist: a missing one is a usage error (exit 2), not a finding. */
function existingInputs(context: CommandContext): string[] {
  const missing = context.positionals.filter((input) => !existsSync(path.resolve(context.cwd, input)));
  if (missing.length > 0) {
    throw new InputError(
      `no such file or folder: ${missing.join(', ')}`,
      missing.map((file) => ({ severity: 'error', message: 'no such file or folder', location: { file } })),
    );
  }
  return context.positionals;
}

/** Problems as CSV rows: where, what, and the entity. */
function problemsTable(problems: readonly Problem[]): Table {
  return {
    columns: ['severity', 'file', 'line', 'column', 'pointer', 'message', 'entityRef'].map((key) => ({
      key,
      header: key,
    })),
    rows: problems.map((problem) => ({ ...toProblemJson(problem) })),
  };
}

const strictOption = {
  strict: { type: 'boolean', description: 'treat references to entities that do not exist as errors' },
} as const;

const validate: CommandSpec = {
  name: 'catalog validate',
  summary: 'check catalog files against Backstage rules; every problem as file:line:col',
  usage: '<file or folder>...',
  positionals: { min: 1 },
  options: strictOption,
  async run(context) {
    const config = catalogConfig(context.config);
    const read = readCatalogFiles(existingInputs(context), {
      cwd: context.cwd,
      maxDocumentBytes: config.maxDocumentBytes,
      progress: context.progress,
    });
    const check = checkCatalog(read.documents, { strict: Boolean(context.values.strict) || config.strict });
    const problems = [...read.problems, ...check.problems];
    const { errors, warnings } = counts(problems);
    const files = read.locations.length + read.failedLocations.length;
    const csv = context.format === 'csv';
    return {
      exitCode: errors > 0 ? 1 : 0,
      // The problems go to stderr and the summary after them; --format json prints the report and
      // --format csv the problems, one per row, on stdout.
      ...(csv ? { table: problemsTable(problems) } : { text: '' }),
      data: {
        files,
        entities: read.documents.length,
        valid: check.entities.length,
        errors,
        warnings,
        problems: problems.map(toProblemJson),
      },
      summary: `${plural(files, 'file')}, ${plural(read.documents.length, 'entity', 'entities')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
      problems: csv ? [] : problems,
    };
  },
};

const importCommand: CommandSpec = {
  name: 'catalog import',
  summary: 'import catalog files (following Locations); atomic unless --partial',
  usage: '<file or folder>...',
  positionals: { min: 1 },
  options: {
    ...strictOption,
    partial: { type: 'boolean', description: 'import the valid entities and report the others' },
  },
  async run(context) {
    const config = catalogConfig(context.config);
    const read = readCatalogFiles(existingInputs(context), {
      cwd: context.cwd,
      maxDocumentBytes: config.maxDocumentBytes,
      progress: context.progress,
    });
    const store = await context.openStore();
    const rootKey = context.positionals
      .map((input) => fileLocationKey(path.resolve(context.cwd, input)))
      .sort()
      .join(' ');
    const report = await importCatalog(store, read, {
      rootKey,
      strict: Boolean(context.values.strict) || config.strict,
      partial: Boolean(context.values.partial),
    });
    const { errors, warnings } = counts(report.problems);
    const { problems, ...figures } = report;
    return {
      exitCode: errors > 0 ? 1 : 0,
      text: '',
      data: { ...figures, errors, warnings, problems: problems.map(toProblemJson) },
      summary:
        `imported into ${store.description}: ${report.added} added, ${report.updated} updated, ` +
        `${report.removed} removed, ${report.unchanged} unchanged` +
        (report.rejected ? `, ${report.rejected} rejected` : '') +
        ` (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`,
      problems,
    };
  },
};

const list: CommandSpec = {
  name: 'catalog list',
  summary: 'list entities, filtered',
  positionals: { max: 0 },
  options: {
    kind: { type: 'string', description: 'entity kind, e.g. component', valueName: 'kind' },
    namespace: { type: 'string', description: 'namespace', valueName: 'ns' },
    owner: { type: 'string', description: 'owner reference, e.g. group:default/payments', valueName: 'ref' },
    system: { type: 'string', description: 'system reference', valueName: 'ref' },
    lifecycle: {
      type: 'string',
      description: 'production, experimental, deprecated, ...',
      valueName: 'name',
    },
    type: { type: 'string', description: 'spec.type, e.g. service', valueName: 'type' },
    tag: { type: 'string', description: 'a tag', valueName: 'tag' },
    search: {
      type: 'string',
      short: 's',
      description: 'text in name, title or description',
      valueName: 'text',
    },
  },
  async run(context) {
    const filter: EntityFilter = {};
    for (const key of ['kind', 'namespace', 'owner', 'system', 'lifecycle', 'type', 'tag'] as const) {
      const value = context.values[key];
      if (typeof value === 'string') filter[key] = value;
    }
    if (typeof context.values.search === 'string') filter.q = context.values.search;
    const entities = await listAllEntities(await context.openStore(), filter);
    return {
      data: entities,
      table: {
        columns: [
          { key: 'ref', header: 'REF' },
          { key: 'type', header: 'TYPE' },
          { key: 'lifecycle', header: 'LIFECYCLE' },
          { key: 'owner', header: 'OWNER' },
          { key: 'system', header: 'SYSTEM' },
        ],
        rows: entities,
      },
      summary: plural(entities.length, 'entity', 'entities'),
    };
  },
};

const get: CommandSpec = {
  name: 'catalog get',
  summary: 'show one entity with its relations and warnings',
  usage: '<ref>',
  positionals: { min: 1, max: 1 },
  async run(context) {
    const detail = await getEntity(await context.openStore(), context.positionals[0]!);
    const metadata = detail.entity.metadata;
    const lines = [
      `${detail.ref}${metadata.title ? `  (${metadata.title})` : ''}`,
      ...(metadata.description ? [`  ${metadata.description}`] : []),
      '',
      'RELATIONS',
      ...detail.relations.map((relation) => `  ${relation.type.padEnd(16)} ${relation.targetRef}`),
      ...(detail.warnings.length > 0
        ? ['', 'WARNINGS', ...detail.warnings.map((warning) => `  ${warning.message}`)]
        : []),
    ];
    return { data: detail, text: `${lines.join('\n')}\n` };
  },
};

const graph: CommandSpec = {
  name: 'catalog graph',
  summary:
    "an entity's dependencies, or its dependents (its blast radius); -o csv: one row per edge (source, type, target and the target's details)",
  usage: '<ref>',
  positionals: { min: 1, max: 1 },
  options: {
    direction: {
      type: 'string',
      description: 'dependencies (what it needs) or dependents (who needs it)',
      valueName: 'dir',
      default: 'dependencies',
    },
    depth: { type: 'string', description: `hops to follow (default ${DEFAULT_GRAPH_DEPTH})`, valueName: 'n' },
  },
  async run(context): Promise<CommandResult> {
    const direction = String(context.values.direction);
    if (direction !== 'dependencies' && direction !== 'dependents') {
      throw new InputError(`--direction must be dependencies or dependents, not ${direction}`);
    }
    const depth = context.values.depth === undefined ? DEFAULT_GRAPH_DEPTH : Number(context.values.depth);
    const result = await entityGraph(
      await context.openStore(),
      context.positionals[0]!,
      direction as GraphDirection,
      depth,
    );
    const nodes = new Map(result.nodes.map((node) => [node.ref, node]));
    const table =
      context.format === 'csv'
        ? {
            columns: [
              'source',
              'type',
              'target',
              'distance',
              'kind',
              'owner',
              'tier',
              'lifecycle',
              'missing',
            ].map((key) => ({ key, header: key })),
            rows: result.edges.map((edge) => {
              const { ref: _, ...target } = nodes.get(edge.target) ?? { ref: edge.target };
              return {
                ...target,
                ...edge,
                missing: 'missing' in target && target.missing ? 'true' : 'false',
              };
            }),
          }
        : undefined;
    const count = result.nodes.length - 1;
    return {
      data: result,
      table: table ?? {
        columns: [
          { key: 'distance', header: 'HOPS' },
          { key: 'ref', header: 'REF' },
          { key: 'owner', header: 'OWNER' },
          { key: 'tier', header: 'TIER' },
          { key: 'lifecycle', header: 'LIFECYCLE' },
        ],
        rows: result.nodes.map((node) => ({
          ...node,
          ref: node.missing ? `${node.ref} (missing)` : node.ref,
        })),
      },
      summary: `${plural(count, direction === 'dependencies' ? 'dependency' : 'dependent', direction)} within ${plural(depth, 'hop')} of ${result.root}`,
    };
  },
};

export const catalogCommands: readonly CommandSpec[] = [validate, importCommand, list, get, graph];
