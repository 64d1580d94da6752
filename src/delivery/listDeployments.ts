/**
 * Deployments as stored, newest first, filtered and paged: for `pave deployment list` and
 * `GET /api/v1/deployments`, for finding the id to explain, and (production ones) for the
 * reliability demo, which links incidents to them.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parseWindowBound } from '../core/reportWindow.js';
import type { Store } from '../store/Store.js';
import { type DeliveryConfig, deliveryConfigSchema } from './deliveryConfig.js';
import { DeploymentSchema } from './model.js';
import { DEPLOYMENT_COLUMNS, deploymentFromRow } from './recordRows.js';
import { refreshServiceResolution } from './services.js';
import { Params, textList } from './sqlParams.js';
import { resolveTrack, trackPredicate } from './track.js';

export const DEFAULT_DEPLOYMENT_PAGE = 100;
export const MAX_DEPLOYMENT_PAGE = 1000;

/** Filters of `listDeployments`; every one optional. */
export interface DeploymentFilter {
  /** A raw service name or the component ref it resolves to. */
  service?: string;
  /** Component refs: deployments whose service resolves to one of them. */
  services?: readonly string[];
  environment?: string;
  /** Only successful deployments to production (as configured). */
  production?: boolean;
  /** Finished at or after: a day or an RFC 3339 time. */
  from?: string | Date;
  /** Finished before: a day (included) or an RFC 3339 time. */
  to?: string | Date;
  config?: DeliveryConfig;
}

export const DeploymentListItemSchema = DeploymentSchema.extend({
  component: z.string().nullable().meta({
    description:
      'The catalog component ref `service` resolves to, or null when it matches none (counted at organisation scope as unattributed).',
  }),
}).meta({ id: 'DeploymentListItem', description: 'A deployment and the catalog component it counts for.' });
export type DeploymentListItem = z.infer<typeof DeploymentListItemSchema>;

export const DeploymentPageSchema = z
  .object({
    items: z.array(DeploymentListItemSchema),
    nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page.' }),
  })
  .meta({ id: 'DeploymentPage', description: 'One page of deployments, newest first.' });
export type DeploymentPage = z.infer<typeof DeploymentPageSchema>;

/**
 * The time a deployment sorts by: when it finished, else when its status was last reported
 * (started, in progress), else when Pave received it; never null, so keyset paging is exact.
 * Pave stores timestamps to the millisecond, which a cursor's ISO time keeps.
 */
const SORT_TIME = 'coalesce(d.finished_at, d.status_at, d.started_at, d.received_at)';

/** One page of the deployments matching the filter, newest first (by `SORT_TIME`, then id). */
export async function listDeployments(
  store: Store,
  filter: DeploymentFilter = {},
  page: { limit?: number; cursor?: string } = {},
): Promise<DeploymentPage> {
  const limit = Math.min(Math.max(Math.floor(page.limit ?? DEFAULT_DEPLOYMENT_PAGE), 1), MAX_DEPLOYMENT_PAGE);
  // Checked before anything is read: a bad cursor is the caller's error whatever the data.
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  // The catalog may have changed since a name was first resolved: the component shown is today's.
  await refreshServiceResolution(store);
  const p = new Params();
  const where: string[] = [];
  if (filter.service !== undefined) {
    const name = p.add(filter.service);
    where.push(
      `(d.service = ${name} OR d.service IN (SELECT s.service FROM delivery_services s WHERE s.service_key = lower(${name})))`,
    );
  }
  if (filter.services !== undefined) {
    where.push(
      `d.service IN (SELECT s.service FROM delivery_services s WHERE s.service_key IN (SELECT unnest(${p.add(textList(filter.services))}::text[])))`,
    );
  }
  if (filter.environment !== undefined)
    where.push(`lower(d.environment) = lower(${p.add(filter.environment)})`);
  if (filter.production) {
    const track = resolveTrack(filter.config ?? deliveryConfigSchema.parse({}));
    where.push(`d.status = 'success' AND ${trackPredicate(track, p.add(track.environments))}`);
  }
  if (filter.from !== undefined) {
    const from = filter.from instanceof Date ? filter.from : parseWindowBound(filter.from, 'from', 'UTC');
    where.push(`d.finished_at >= ${p.add(from)}`);
  }
  if (filter.to !== undefined) {
    const to = filter.to instanceof Date ? filter.to : parseWindowBound(filter.to, 'to', 'UTC');
    where.push(`d.finished_at < ${p.add(to)}`);
  }
  if (after !== undefined) {
    const time = p.add(after.time);
    where.push(`(${SORT_TIME} < ${time} OR (${SORT_TIME} = ${time} AND d.id < ${p.add(after.id)}))`);
  }
  const rows = await store.query<Record<string, unknown> & { sort_time: Date; resolved_key: string | null }>(
    `SELECT ${DEPLOYMENT_COLUMNS.map((c) => `d.${c}`).join(', ')}, ${SORT_TIME} AS sort_time,
            CASE WHEN s.resolved THEN s.service_key END AS resolved_key
       FROM delivery_deployments d LEFT JOIN delivery_services s ON s.service = d.service
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY sort_time DESC, d.id DESC LIMIT ${p.add(limit + 1)}`,
    p.values,
  );
  const items = rows
    .slice(0, limit)
    .map((row) => ({ ...deploymentFromRow(row), component: row.resolved_key ?? null }));
  const last = rows[limit - 1];
  return {
    items,
    ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.sort_time, String(last.id)) } : {}),
  };
}

/** The cursor is the last row's sort time and id, opaque to clients: base64url of `[time, id]`. */
function encodeCursor(time: Date, id: string): string {
  return Buffer.from(JSON.stringify([time.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { time: Date; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      const time = new Date(value[0]);
      if (!Number.isNaN(time.getTime())) return { time, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor: not a cursor this API returned; pass nextCursor from the previous page', [
    { severity: 'error', message: 'malformed cursor', location: { file: 'query', pointer: '/cursor' } },
  ]);
}

/** A production deployment as the reliability demo needs it. */
export interface ProductionDeployment {
  id: string;
  /** The component ref its service resolves to (the raw name when it resolves to none). */
  service: string;
  sha: string | undefined;
  finishedAt: Date;
}

/**
 * Every successful production deployment that finished in `[from, to)`, oldest first, with the
 * component its service resolves to: what the reliability domain's demo links incidents to.
 */
export async function listProductionDeployments(
  store: Store,
  window: { from: Date; to: Date },
  options: { config?: DeliveryConfig; services?: readonly string[] } = {},
): Promise<ProductionDeployment[]> {
  const track = resolveTrack(options.config ?? deliveryConfigSchema.parse({}));
  const p = new Params();
  const scoped =
    options.services === undefined
      ? ''
      : `AND s.service_key IN (SELECT unnest(${p.add(textList(options.services))}::text[]))`;
  const rows = await store.query<{
    id: string;
    service_key: string | null;
    service: string;
    sha: string | null;
    finished_at: Date;
  }>(
    `SELECT d.id, s.service_key, d.service, d.sha, d.finished_at
       FROM delivery_deployments d LEFT JOIN delivery_services s ON s.service = d.service
      WHERE d.status = 'success' AND d.finished_at >= ${p.add(window.from)} AND d.finished_at < ${p.add(window.to)}
        AND ${trackPredicate(track, p.add(track.environments))} ${scoped}
      ORDER BY d.finished_at, d.id`,
    p.values,
  );
  return rows.map((row) => ({
    id: row.id,
    service: row.service_key ?? row.service,
    sha: row.sha ?? undefined,
    finishedAt: row.finished_at,
  }));
}
