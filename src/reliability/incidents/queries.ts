/**
 * Reading incidents: one incident, filtered pages of incidents, and the compact records the
 * delivery domain attributes to deployments. One SQL text for both engines.
 */
import { InputError, NotFoundError } from '../../core/errors.js';
import type { SqlParam, Store } from '../../store/Store.js';
import {
  INCIDENT_SOURCES,
  type Incident,
  type IncidentSource,
  type IncidentStatus,
  type Severity,
} from './model.js';

/**
 * An incident as the delivery domain needs it for change failure rate and recovery time:
 * `services` are lower-case component refs.
 */
export interface AttributionIncident {
  id: string;
  severity: string | undefined;
  startedAt: Date;
  mitigatedAt: Date | undefined;
  resolvedAt: Date | undefined;
  services: string[];
  deploymentIds: string[];
  shas: string[];
}

/** The incidents whose `startedAt` is in `[window.from, window.to)`, oldest first. */
export async function listIncidentsForAttribution(
  store: Store,
  window: { from: Date; to: Date },
): Promise<AttributionIncident[]> {
  const params = [window.from, window.to];
  const inWindow = 'i.started_at >= $1 AND i.started_at < $2';
  const rows = await store.query<{
    id: string;
    severity: string | null;
    started_at: Date;
    mitigated_at: Date | null;
    resolved_at: Date | null;
  }>(
    `SELECT i.id, i.severity, i.started_at, i.mitigated_at, i.resolved_at FROM incidents i
      WHERE ${inWindow} ORDER BY i.started_at, i.id`,
    params,
  );
  const services = await store.query<{ incident_id: string; service_ref: string }>(
    `SELECT s.incident_id, s.service_ref FROM incident_services s JOIN incidents i ON i.id = s.incident_id
      WHERE ${inWindow} ORDER BY s.incident_id, s.position`,
    params,
  );
  const links = await store.query<{ incident_id: string; kind: string; target: string }>(
    `SELECT l.incident_id, l.kind, l.target FROM incident_links l JOIN incidents i ON i.id = l.incident_id
      WHERE ${inWindow} ORDER BY l.incident_id, l.kind, l.target`,
    params,
  );
  const byId = new Map<string, AttributionIncident>();
  const result = rows.map((row) => {
    const incident: AttributionIncident = {
      id: row.id,
      severity: row.severity ?? undefined,
      startedAt: row.started_at,
      mitigatedAt: row.mitigated_at ?? undefined,
      resolvedAt: row.resolved_at ?? undefined,
      services: [],
      deploymentIds: [],
      shas: [],
    };
    byId.set(row.id, incident);
    return incident;
  });
  for (const row of services) byId.get(row.incident_id)?.services.push(row.service_ref);
  for (const row of links) {
    const incident = byId.get(row.incident_id);
    if (!incident) continue;
    if (row.kind === 'deployment') incident.deploymentIds.push(row.target);
    else if (row.kind === 'commit') incident.shas.push(row.target);
  }
  return result;
}

/**
 * One incident, as stored, by its full id (`pave:INC-1`) or, when no incident has that exact id, by
 * the id its source gave it (`INC-1`: what `pave incident create --id INC-1` stored as `pave:INC-1`).
 * An id that several sources use (`pave:INC-1` and `csv:INC-1`) is an input error listing them.
 */
export async function getIncident(store: Store, id: string): Promise<Incident> {
  const candidates = [id, ...INCIDENT_SOURCES.map((source) => `${source}:${id}`)];
  const rows = await store.query<{ id: string; body: Incident }>(
    'SELECT id, body FROM incidents WHERE id = ANY($1) ORDER BY id',
    [candidates],
  );
  const found = rows.find((row) => row.id === id) ?? (rows.length === 1 ? rows[0] : undefined);
  if (found) return found.body;
  if (rows.length === 0) throw new NotFoundError(`no incident ${id}`);
  throw new InputError(
    `incident id ${id} is ambiguous: ${rows.map((row) => row.id).join(', ')} match it; give the full id`,
    [],
    { code: 'ambiguous-id' },
  );
}

/** An incident in a list. */
export interface IncidentSummary {
  id: string;
  source: IncidentSource;
  title: string;
  severity?: Severity;
  status: IncidentStatus;
  startedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  services: string[];
  causeCategory?: string;
  postmortemStatus?: string;
}

/** Filters of an incident list, combined with AND. */
export interface IncidentFilter {
  source?: string;
  severity?: Severity;
  status?: IncidentStatus;
  /** Incidents affecting this component (a lower-case ref). */
  service?: string;
  /** Incidents affecting any of these components (a team's, from the catalog). */
  services?: readonly string[];
  /** `startedAt` at or after. */
  from?: Date;
  /** `startedAt` before. */
  to?: Date;
  /** Text in the title, ignoring case. */
  q?: string;
}

export const DEFAULT_INCIDENT_PAGE = 100;
export const MAX_INCIDENT_PAGE = 1000;

/** One page of incidents, newest first. */
export async function listIncidents(
  store: Store,
  filter: IncidentFilter,
  page: { limit?: number; cursor?: string } = {},
): Promise<{ items: IncidentSummary[]; totalItems: number; nextCursor?: string }> {
  const limit = Math.min(Math.max(page.limit ?? DEFAULT_INCIDENT_PAGE, 1), MAX_INCIDENT_PAGE);
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const add = (condition: (p: string) => string, value: SqlParam) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.source) add((p) => `i.source = ${p}`, filter.source);
  if (filter.severity) add((p) => `i.severity = ${p}`, filter.severity);
  if (filter.status) add((p) => `i.status = ${p}`, filter.status);
  if (filter.service) {
    add(
      (p) => `EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_ref = ${p})`,
      filter.service,
    );
  }
  if (filter.services) {
    add(
      (p) =>
        `EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service_ref = ANY(${p}))`,
      filter.services,
    );
  }
  if (filter.from) add((p) => `i.started_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `i.started_at < ${p}`, filter.to);
  if (filter.q) add((p) => `strpos(lower(i.title), ${p}) > 0`, filter.q.toLowerCase());
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const [count] = await store.query<{ total: number }>(
    `SELECT count(*) AS total FROM incidents i ${where}`,
    params,
  );

  const pageParams = [...params];
  const pageConditions = [...conditions];
  if (page.cursor) {
    const [startedAt, id] = decodeCursor(page.cursor);
    pageParams.push(startedAt, id);
    const a = `$${pageParams.length - 1}`;
    const b = `$${pageParams.length}`;
    pageConditions.push(`(i.started_at < ${a} OR (i.started_at = ${a} AND i.id < ${b}))`);
  }
  pageParams.push(limit + 1);
  const rows = await store.query<{ id: string; started_at: Date; body: Incident }>(
    `SELECT i.id, i.started_at, i.body FROM incidents i
      ${pageConditions.length > 0 ? `WHERE ${pageConditions.join(' AND ')}` : ''}
      ORDER BY i.started_at DESC, i.id DESC LIMIT $${pageParams.length}`,
    pageParams,
  );
  const items = rows.slice(0, limit).map((row) => toSummary(row.body));
  const last = rows[limit - 1];
  return {
    items,
    totalItems: count?.total ?? 0,
    ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.started_at, last.id) } : {}),
  };
}

/** Every incident matching `filter`, newest first (for the CLI); pages internally. */
export async function listAllIncidents(store: Store, filter: IncidentFilter): Promise<IncidentSummary[]> {
  const all: IncidentSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listIncidents(store, filter, {
      limit: MAX_INCIDENT_PAGE,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

function toSummary(incident: Incident): IncidentSummary {
  return {
    id: incident.id,
    source: incident.source,
    title: incident.title,
    ...(incident.severity ? { severity: incident.severity } : {}),
    status: incident.status,
    startedAt: incident.startedAt,
    ...(incident.acknowledgedAt ? { acknowledgedAt: incident.acknowledgedAt } : {}),
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
    services: incident.services,
    ...(incident.causeCategory ? { causeCategory: incident.causeCategory } : {}),
    ...(incident.postmortem ? { postmortemStatus: incident.postmortem.status } : {}),
  };
}

/** The cursor is the last row's start time and id, opaque to clients. */
function encodeCursor(startedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([startedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const startedAt = new Date(value[0]);
      if (!Number.isNaN(startedAt.getTime())) return [startedAt, value[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor: not a cursor this API returned', [
    { severity: 'error', message: 'malformed cursor', location: { file: 'query', pointer: '/cursor' } },
  ]);
}
