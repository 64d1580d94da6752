/**
 * Registering SLO specs (`pave slo import`, `POST /api/v1/slos`): read OpenSLO v1 or Sloth specs,
 * and store every SLO they define, all or nothing. Registering the same spec again changes nothing;
 * a changed spec updates its SLO (by id) and keeps its SLI data.
 */
import { createHash } from 'node:crypto';
import { parseDuration } from '../../core/duration.js';
import { entityRefKey } from '../../core/entityRef.js';
import { InputError, type Problem } from '../../core/errors.js';
import type { SqlParam, Store } from '../../store/Store.js';
import { readSloSpecs, type SpecInput } from '../ingest/readSloSpecs.js';
import type { SloSpec } from '../model.js';
import { sloTimeWindow } from './sloWindow.js';

/** How SLOs came in: recorded with them. */
export type SloSource = 'cli' | 'api' | 'demo';

/** What registering changed, SLO by SLO, and the warnings met. */
export interface SloRegisterReport {
  added: number;
  updated: number;
  unchanged: number;
  slos: { id: string; component: string; change: 'added' | 'updated' | 'unchanged' }[];
  problems: Problem[];
}

/** Reads spec files and registers their SLOs; throws `InputError` with every problem if any is an error. */
export async function registerSlos(
  store: Store,
  inputs: readonly SpecInput[],
  options: { source: SloSource; now?: Date },
): Promise<SloRegisterReport> {
  const read = readSloSpecs(inputs);
  return registerSloSpecs(store, read.slos, { ...options, problems: read.problems });
}

/** Registers SLOs already read; `problems` are those of reading them (any error stops everything). */
export async function registerSloSpecs(
  store: Store,
  slos: readonly SloSpec[],
  options: { source: SloSource; now?: Date; problems?: readonly Problem[] },
): Promise<SloRegisterReport> {
  const problems: Problem[] = [...(options.problems ?? [])];
  const rows = slos.map((slo) => sloRecord(slo, problems));
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  if (errors > 0) {
    throw new InputError(
      `${errors} error${errors === 1 ? '' : 's'} in the SLO specs: nothing was registered`,
      problems,
    );
  }
  if (slos.length === 0) {
    problems.push({ severity: 'warning', message: 'the specs define no SLO: nothing to register' });
  }
  const components = [...new Set(rows.map((row) => row.component))];
  const known = new Set(
    (
      await store.query<{ entity_ref: string }>(
        'SELECT entity_ref FROM catalog_entities WHERE entity_ref = ANY($1)',
        [components],
      )
    ).map((row) => row.entity_ref),
  );
  for (const [index, row] of rows.entries()) {
    if (known.has(row.component)) continue;
    const slo = slos[index]!;
    problems.push({
      severity: 'warning',
      message: `${row.component} is not in the catalog: the SLO is registered, but team scopes will not find it until the component is imported`,
      location: sourceLocation(slo),
      entityRef: `SLO ${slo.id}`,
    });
  }

  const now = options.now ?? new Date();
  const report: SloRegisterReport = { added: 0, updated: 0, unchanged: 0, slos: [], problems };
  await store.transaction(async (tx) => {
    const added: SqlParam[][] = [];
    const stored = new Map(
      (
        await tx.query<{ slo_id: string; spec_hash: string }>(
          'SELECT slo_id, spec_hash FROM slo_specs WHERE slo_id = ANY($1)',
          [rows.map((row) => row.id)],
        )
      ).map((row) => [row.slo_id, row.spec_hash]),
    );
    for (const row of rows) {
      const hash = stored.get(row.id);
      const change = hash === undefined ? 'added' : hash === row.hash ? 'unchanged' : 'updated';
      report[change]++;
      report.slos.push({ id: row.id, component: row.component, change });
      const values = [
        row.name,
        row.service,
        row.component,
        row.componentSource,
        row.displayName,
        row.objective,
        row.budgetingMethod,
        row.windowType,
        row.windowDuration,
        row.windowSeconds,
        row.calendarStart,
        row.calendarTimeZone,
        row.timeSliceTarget,
        row.timeSliceSeconds,
        JSON.stringify(row.spec),
        row.hash,
        options.source,
        row.sourceFile,
        now,
      ] as const;
      if (change === 'added') added.push([row.id, ...values]);
      else if (change === 'updated') {
        await tx.execute(
          `UPDATE slo_specs SET name = $2, service = $3, component = $4, component_source = $5,
             display_name = $6, objective = $7, budgeting_method = $8, window_type = $9, window_duration = $10,
             window_seconds = $11, calendar_start = $12, calendar_time_zone = $13, time_slice_target = $14,
             time_slice_seconds = $15, spec = $16, spec_hash = $17, source = $18, source_file = $19,
             updated_at = $20
           WHERE slo_id = $1`,
          [row.id, ...values],
        );
      }
    }
    if (added.length === 0) return;
    // New SLOs take their keys from the sequence in one query, and go in with one bulk insert.
    const keys = await tx.query<{ k: number }>(
      "SELECT nextval('slo_key_seq') AS k FROM generate_series(1, CAST($1 AS BIGINT)) AS g(n)",
      [added.length],
    );
    await tx.insertRows(
      'slo_specs',
      [
        'slo_id',
        'name',
        'service',
        'component',
        'component_source',
        'display_name',
        'objective',
        'budgeting_method',
        'window_type',
        'window_duration',
        'window_seconds',
        'calendar_start',
        'calendar_time_zone',
        'time_slice_target',
        'time_slice_seconds',
        'spec',
        'spec_hash',
        'source',
        'source_file',
        'created_at',
        'updated_at',
        'slo_key',
      ],
      added.map((values, i) => [...values, values[values.length - 1]!, Number(keys[i]!.k)]),
    );
  });
  return report;
}

/** The columns of one SLO, with problems for what evaluation cannot use. */
function sloRecord(slo: SloSpec, problems: Problem[]) {
  const window = sloTimeWindow(slo);
  let timeSliceSeconds: number | null = null;
  if (slo.budgetingMethod !== 'Occurrences') {
    try {
      timeSliceSeconds = parseDuration(slo.timeSliceWindow ?? '');
      if (timeSliceSeconds <= 0 || timeSliceSeconds > window.seconds) throw new RangeError('out of range');
    } catch {
      problems.push({
        severity: 'error',
        message: `timeSliceWindow "${slo.timeSliceWindow ?? ''}" must be a duration like 1m or 5m, longer than zero and not longer than the ${window.duration} window`,
        location: sourceLocation(slo),
        entityRef: `SLO ${slo.id}`,
      });
    }
  }
  // The hash leaves out where the spec was read from: the same spec from another file is unchanged.
  const { file: _file, line: _line, column: _column, document: _document, ...origin } = slo.source;
  const hash = createHash('sha256')
    .update(JSON.stringify({ ...slo, source: origin }))
    .digest('hex');
  return {
    id: slo.id,
    name: slo.name,
    service: slo.service,
    component: entityRefKey(slo.component),
    componentSource: slo.componentSource,
    displayName: slo.displayName ?? null,
    objective: slo.objective,
    budgetingMethod: slo.budgetingMethod,
    windowType: window.type,
    windowDuration: window.duration,
    windowSeconds: window.seconds,
    calendarStart: window.type === 'calendar' ? window.startTime : null,
    calendarTimeZone: window.type === 'calendar' ? window.timeZone : null,
    timeSliceTarget: slo.budgetingMethod === 'Timeslices' ? (slo.timeSliceTarget ?? null) : null,
    timeSliceSeconds,
    spec: slo,
    hash,
    sourceFile: slo.source.file ?? null,
  };
}

function sourceLocation(slo: SloSpec): Problem['location'] {
  return {
    ...(slo.source.file !== undefined ? { file: slo.source.file } : {}),
    ...(slo.source.line !== undefined ? { line: slo.source.line } : {}),
    ...(slo.source.column !== undefined ? { column: slo.source.column } : {}),
  };
}
