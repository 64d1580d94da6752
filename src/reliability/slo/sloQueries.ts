/**
 * Reading registered SLOs: lists (optionally limited to some components), one SLO with the extent of
 * its SLI data, and the stored rows evaluation works from. One SQL text for both engines.
 */
import { NotFoundError } from '../../core/errors.js';
import type { Queryable } from '../../store/Store.js';
import type { SloSpec } from '../model.js';
import type { SloDetail, SloSummary } from './model.js';

/** A stored SLO row, as evaluation and the writers use it. */
export interface SloRow {
  slo_id: string;
  slo_key: number;
  name: string;
  service: string;
  component: string;
  component_source: string;
  display_name: string | null;
  objective: number;
  budgeting_method: SloSpec['budgetingMethod'];
  window_type: 'rolling' | 'calendar';
  window_duration: string;
  window_seconds: number;
  calendar_start: string | null;
  calendar_time_zone: string | null;
  time_slice_target: number | null;
  time_slice_seconds: number | null;
  spec: SloSpec;
  source: string;
  max_point_seconds: number | null;
  created_at: Date;
  updated_at: Date;
  in_catalog: boolean;
  owner_ref: string | null;
}

const SELECT_SLOS = `SELECT s.slo_id, s.slo_key, s.name, s.service, s.component, s.component_source, s.display_name,
    s.objective, s.budgeting_method, s.window_type, s.window_duration, s.window_seconds, s.calendar_start,
    s.calendar_time_zone, s.time_slice_target, s.time_slice_seconds, s.spec, s.source, s.max_point_seconds,
    s.created_at, s.updated_at, e.entity_ref IS NOT NULL AS in_catalog, e.owner_ref
  FROM slo_specs s LEFT JOIN catalog_entities e ON e.entity_ref = s.component`;

/** Stored SLOs, by id; only those of `components` when given, only `ids` when given. */
export async function sloRows(
  db: Queryable,
  filter: { components?: readonly string[]; ids?: readonly string[] } = {},
): Promise<SloRow[]> {
  const conditions: string[] = [];
  const params: (readonly string[])[] = [];
  if (filter.components) {
    params.push(filter.components);
    conditions.push(`s.component = ANY($${params.length})`);
  }
  if (filter.ids) {
    params.push(filter.ids);
    conditions.push(`s.slo_id = ANY($${params.length})`);
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return db.query<SloRow>(`${SELECT_SLOS}${where} ORDER BY s.slo_id`, params);
}

/** One stored SLO, or a `NotFoundError` naming the id. */
export async function sloRow(db: Queryable, id: string): Promise<SloRow> {
  const [row] = await sloRows(db, { ids: [id] });
  if (!row) throw new NotFoundError(`no SLO with id "${id}" is registered (pave slo import registers specs)`);
  return row;
}

/** The summary lists show. */
export function toSloSummary(row: SloRow): SloSummary {
  const spec = row.spec;
  return {
    id: row.slo_id,
    name: row.name,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    service: row.service,
    component: row.component,
    componentInCatalog: Boolean(row.in_catalog),
    objective: row.objective,
    budgetingMethod: row.budgeting_method,
    ...(row.time_slice_target !== null ? { timeSliceTarget: row.time_slice_target } : {}),
    ...(spec.timeSliceWindow !== undefined && row.budgeting_method !== 'Occurrences'
      ? { timeSliceWindow: spec.timeSliceWindow }
      : {}),
    window: {
      type: row.window_type,
      duration: row.window_duration,
      seconds: row.window_seconds,
      ...(row.calendar_start ? { startTime: row.calendar_start } : {}),
      ...(row.calendar_time_zone ? { timeZone: row.calendar_time_zone } : {}),
    },
    format: spec.source.format,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Registered SLOs as lists show them. */
export async function listSlos(
  db: Queryable,
  filter: { components?: readonly string[] } = {},
): Promise<SloSummary[]> {
  return (await sloRows(db, filter)).map(toSloSummary);
}

/** One SLO with its spec and the extent of its SLI data. */
export async function getSlo(db: Queryable, id: string): Promise<SloDetail> {
  const row = await sloRow(db, id);
  const [extent] = await db.query<{ points: number; first_start: Date | null; last_end: Date | null }>(
    'SELECT count(*) AS points, min(start_at) AS first_start, max(end_at) AS last_end FROM slo_sli_points WHERE slo_key = $1',
    [row.slo_key],
  );
  return {
    ...toSloSummary(row),
    spec: row.spec as unknown as Record<string, unknown>,
    sli: {
      points: extent?.points ?? 0,
      firstStart: extent?.first_start ? extent.first_start.toISOString() : null,
      lastEnd: extent?.last_end ? extent.last_end.toISOString() : null,
      longestPointSeconds: row.max_point_seconds,
    },
  };
}
