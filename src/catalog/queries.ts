/**
 * Reading the catalog: filtered, paginated lists, one entity with its relations and warnings, and
 * the dependency graph around an entity. One SQL text for both engines.
 */

import { parseEntityRef, stringifyEntityRef } from '../core/entityRef.js';
import { InputError, NotFoundError, type Problem } from '../core/errors.js';
import type { SqlParam, Store } from '../store/Store.js';
import type { EntityDetail, EntitySummary, StoredRelation } from './model.js';

/** Filters of an entity list; every one optional, all of them combined with AND. */
export interface EntityFilter {
  kind?: string;
  namespace?: string;
  /** An owner reference; kind defaults to Group (`team-a`, `group:default/team-a`, `user:jane`). */
  owner?: string;
  /** A system reference; kind defaults to System. */
  system?: string;
  lifecycle?: string;
  type?: string;
  tag?: string;
  /** Text searched in name, title and description, ignoring case. */
  q?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
  /** How many entities match the filter, over all pages. */
  totalItems: number;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * Parses a reference given as the parameter `what` (`owner`, `system`, `ref`), naming the parameter
 * (as a JSON pointer into the request's parameters) when it is malformed.
 */
export function refKey(ref: string, defaultKind: string | undefined, what: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref, defaultKind ? { defaultKind } : {})).toLowerCase();
  } catch (error) {
    const message = (error as Error).message;
    throw new InputError(`${what}: ${message}`, [
      { severity: 'error', message, location: { pointer: `/${what.replaceAll(' ', '_')}` } },
    ]);
  }
}

function whereClause(filter: EntityFilter): { sql: string; params: SqlParam[] } {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const add = (condition: (placeholder: string) => string, value: SqlParam) => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.kind) add((p) => `lower(e.kind) = lower(${p})`, filter.kind);
  if (filter.namespace) add((p) => `e.namespace = lower(${p})`, filter.namespace);
  if (filter.owner) add((p) => `e.owner_ref = ${p}`, refKey(filter.owner, 'group', 'owner'));
  if (filter.system) add((p) => `e.system_ref = ${p}`, refKey(filter.system, 'system', 'system'));
  if (filter.lifecycle) add((p) => `lower(e.lifecycle) = lower(${p})`, filter.lifecycle);
  if (filter.type) add((p) => `lower(e.spec_type) = lower(${p})`, filter.type);
  if (filter.tag) {
    add(
      (p) => `EXISTS (SELECT 1 FROM catalog_tags t WHERE t.entity_ref = e.entity_ref AND t.tag = ${p})`,
      filter.tag,
    );
  }
  if (filter.q) {
    add(
      (p) =>
        `(strpos(lower(e.name), ${p}) > 0 OR strpos(lower(e.title), ${p}) > 0 OR strpos(lower(e.description), ${p}) > 0)`,
      filter.q.toLowerCase(),
    );
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

interface SummaryRow {
  entity_ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  spec_type: string | null;
  lifecycle: string | null;
  owner_ref: string | null;
  system_ref: string | null;
  tags: string[] | null;
}

const SUMMARY_COLUMNS = `e.entity_ref, e.kind, e.namespace, e.name, e.title, e.description, e.spec_type, e.lifecycle,
  e.owner_ref, e.system_ref`;

/** Summaries of `rows`, with their tags fetched in one more query (cheaper than one per row). */
async function withTags(store: Store, rows: readonly SummaryRow[]): Promise<EntitySummary[]> {
  const tags = new Map<string, string[]>();
  if (rows.length > 0) {
    const tagRows = await store.query<{ entity_ref: string; tag: string }>(
      'SELECT entity_ref, tag FROM catalog_tags WHERE entity_ref = ANY($1) ORDER BY entity_ref, tag',
      [rows.map((row) => row.entity_ref)],
    );
    for (const row of tagRows) {
      const list = tags.get(row.entity_ref);
      if (list) list.push(row.tag);
      else tags.set(row.entity_ref, [row.tag]);
    }
  }
  return rows.map((row) => toSummary({ ...row, tags: tags.get(row.entity_ref) ?? null }));
}

function toSummary(row: SummaryRow): EntitySummary {
  return {
    ref: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    ...(row.title ? { title: row.title } : {}),
    ...(row.description ? { description: row.description } : {}),
    ...(row.spec_type ? { type: row.spec_type } : {}),
    ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
    ...(row.owner_ref ? { owner: row.owner_ref } : {}),
    ...(row.system_ref ? { system: row.system_ref } : {}),
    tags: row.tags ?? [],
  };
}

/** The cursor is the last key of the previous page, opaque to clients. */
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9-_.]+:[^/]+\/.+$/i.test(key)) {
    throw new InputError('cursor: not a cursor this API returned', [
      { severity: 'error', message: 'malformed cursor', location: { file: 'query', pointer: '/cursor' } },
    ]);
  }
  return key;
}

/** One page of entities matching `filter`, ordered by reference. */
export async function listEntities(
  store: Store,
  filter: EntityFilter,
  page: { limit?: number; cursor?: string } = {},
): Promise<Page<EntitySummary>> {
  const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const where = whereClause(filter);
  const [{ total }] = (await store.query<{ total: number }>(
    `SELECT count(*) AS total FROM catalog_entities e ${where.sql}`,
    where.params,
  )) as [{ total: number }];
  const params = [...where.params];
  let sql = where.sql;
  if (page.cursor) {
    params.push(decodeCursor(page.cursor));
    sql += `${sql ? ' AND' : 'WHERE'} e.entity_ref > $${params.length}`;
  }
  params.push(limit + 1);
  const rows = await store.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM catalog_entities e ${sql} ORDER BY e.entity_ref LIMIT $${params.length}`,
    params,
  );
  const items = await withTags(store, rows.slice(0, limit));
  const last = items[items.length - 1];
  return {
    items,
    totalItems: total,
    ...(rows.length > limit && last ? { nextCursor: Buffer.from(last.ref).toString('base64url') } : {}),
  };
}

/** Every entity matching `filter` (for the CLI and exports); pages through internally. */
export async function listAllEntities(store: Store, filter: EntityFilter): Promise<EntitySummary[]> {
  const all: EntitySummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listEntities(store, filter, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** One entity, its relations (from it, in both vocabularies), and its warnings. */
export async function getEntity(store: Store, ref: string): Promise<EntityDetail> {
  const key = refKey(ref, 'component', 'entity reference');
  const [row] = await store.query<{
    body: Record<string, unknown>;
    warnings: Problem[] | null;
    location_key: string;
  }>('SELECT body, warnings, location_key FROM catalog_entities WHERE entity_ref = $1', [key]);
  if (!row) throw new NotFoundError(`no entity ${key} in the catalog`);
  const relations = await store.query<{ source_ref: string; type: string; target_ref: string }>(
    'SELECT DISTINCT source_ref, type, target_ref FROM catalog_relations WHERE source_ref = $1 ORDER BY type, target_ref',
    [key],
  );
  const dangling = await store.query<{ type: string; target_ref: string }>(
    `SELECT DISTINCT r.type, r.target_ref FROM catalog_relations r
       LEFT JOIN catalog_entities t ON t.entity_ref = r.target_ref
      WHERE r.origin_ref = $1 AND r.source_ref = $1 AND t.entity_ref IS NULL
      ORDER BY r.type, r.target_ref`,
    [key],
  );
  const file = row.location_key.replace(/^file:/, '');
  const warnings = [
    ...(row.warnings ?? []),
    ...dangling.map(
      (relation): Problem => ({
        severity: 'warning',
        message: `${relation.type} ${relation.target_ref}: no such entity in the catalog`,
        location: { file },
        entityRef: key,
      }),
    ),
  ];
  return {
    ref: key,
    entity: {
      ...row.body,
      relations: relations.map((r) => ({ type: r.type, targetRef: r.target_ref })),
    } as never,
    relations: relations.map(
      (r) => ({ sourceRef: r.source_ref, type: r.type, targetRef: r.target_ref }) as StoredRelation,
    ),
    warnings: warnings.map((warning) => ({
      severity: warning.severity,
      message: warning.message,
      ...(warning.location?.file ? { file: warning.location.file } : {}),
      ...(warning.location?.line ? { line: warning.location.line } : {}),
      ...(warning.location?.column ? { column: warning.location.column } : {}),
      ...(warning.entityRef ? { entityRef: warning.entityRef } : {}),
    })),
  };
}

/** How many entities of each kind the catalog holds. */
export async function countEntitiesByKind(store: Store): Promise<{ kind: string; count: number }[]> {
  return store.query<{ kind: string; count: number }>(
    'SELECT lower(kind) AS kind, count(*) AS count FROM catalog_entities GROUP BY lower(kind) ORDER BY lower(kind)',
  );
}
