/**
 * Deployments as stored, newest first, filtered: for `pave deployment list`, for finding the id
 * to explain, and (production ones) for the reliability demo, which links incidents to them.
 */
import type { Store } from '../store/Store.js';
import { type DeliveryConfig, deliveryConfigSchema } from './deliveryConfig.js';
import type { Deployment } from './model.js';
import { DEPLOYMENT_COLUMNS, deploymentFromRow } from './recordRows.js';
import { Params, textList } from './sqlParams.js';
import { resolveTrack, trackPredicate } from './track.js';
import { parseWindowDate } from './windowDates.js';

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
  limit?: number;
  config?: DeliveryConfig;
}

/** Deployments matching the filter, newest first. */
export async function listDeployments(store: Store, filter: DeploymentFilter = {}): Promise<Deployment[]> {
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
    const from = filter.from instanceof Date ? filter.from : parseWindowDate(filter.from, 'from', 'UTC');
    where.push(`d.finished_at >= ${p.add(from)}`);
  }
  if (filter.to !== undefined) {
    const to = filter.to instanceof Date ? filter.to : parseWindowDate(filter.to, 'to', 'UTC');
    where.push(`d.finished_at < ${p.add(to)}`);
  }
  const limit = filter.limit ?? 1000;
  const rows = await store.query(
    `SELECT ${DEPLOYMENT_COLUMNS.map((c) => `d.${c}`).join(', ')} FROM delivery_deployments d
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY d.finished_at DESC NULLS LAST, d.id LIMIT ${Math.max(1, Math.floor(limit))}`,
    p.values,
  );
  return rows.map(deploymentFromRow);
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
