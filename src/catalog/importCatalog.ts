/**
 * Writes a checked batch to the store, atomically.
 *
 * The unit of replacement is the location (a file, or a named API upload): importing a location
 * again replaces exactly the entities it defined; entities it no longer defines are removed, as are
 * those of files its root no longer reaches. An entity another location already defines is a
 * conflict, as in Backstage, so one team's file cannot silently take over another's entity.
 * Without `partial`, any error means nothing is written.
 */
import { InputError, type Problem } from '../core/errors.js';
import type { Queryable, SqlParam, Store } from '../store/Store.js';
import { type CheckedEntity, checkCatalog, describeRef } from './checkCatalog.js';
import type { ReadResult } from './ingest/backstage.js';

export interface ImportOptions {
  /** The location the import started from (a file, folder or API name); its reach is tracked. */
  rootKey: string;
  /** Dangling references are errors. */
  strict?: boolean;
  /** Import the valid entities and report the rest, instead of writing nothing. */
  partial?: boolean;
  now?: Date;
}

export interface ImportReport {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Entities left out because of errors (only with `partial`). */
  rejected: number;
  problems: Problem[];
}

interface StoredEntity {
  entity_ref: string;
  hash: string;
  location_key: string;
}

/** Checks `read` against the stored catalog and writes it; throws `InputError` when it must not. */
export async function importCatalog(
  store: Store,
  read: ReadResult,
  options: ImportOptions,
): Promise<ImportReport> {
  const stored = await store.query<StoredEntity>(
    'SELECT entity_ref, hash, location_key FROM catalog_entities',
  );
  const storedByKey = new Map(stored.map((row) => [row.entity_ref, row]));
  const storedLocations = await store.query<{ location_key: string; root_key: string }>(
    'SELECT location_key, root_key FROM catalog_locations',
  );
  const rootLocations = storedLocations
    .filter((row) => row.root_key === options.rootKey)
    .map((row) => row.location_key);

  const check = checkCatalog(read.documents, {
    strict: options.strict,
    knownKeys: new Set(storedByKey.keys()),
  });
  const problems = [...read.problems, ...check.problems];

  // Locations whose stored entities this import replaces: those read completely, and those the
  // root reached before but reaches no more.
  const readLocations = new Set(read.locations);
  const unreachable = rootLocations.filter(
    (location) => !readLocations.has(location) && !read.failedLocations.includes(location),
  );
  const replaceable = new Set([...readLocations, ...unreachable]);

  const rejected = new Set(check.rejected);
  const accepted: CheckedEntity[] = [];
  for (const entity of check.entities) {
    const previous = storedByKey.get(entity.key);
    if (
      previous &&
      !replaceable.has(previous.location_key) &&
      previous.location_key !== entity.document.locationKey
    ) {
      rejected.add(entity.key);
      problems.push({
        severity: 'error',
        message: `${entity.key} is already defined by ${previous.location_key.replace(/^file:/, '')}; remove it there first, or import both locations together`,
        location: entity.document.locate(['metadata', 'name']),
        entityRef: describeRef(entity.document.entity),
      });
      continue;
    }
    accepted.push(entity);
  }

  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0 && !options.partial) {
    throw new InputError(
      `the catalog has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported (use --partial to import the valid entities)`,
      problems,
    );
  }

  const acceptedKeys = new Set(accepted.map((entity) => entity.key));
  const removed = stored
    .filter(
      (row) =>
        replaceable.has(row.location_key) &&
        !acceptedKeys.has(row.entity_ref) &&
        !rejected.has(row.entity_ref),
    )
    .map((row) => row.entity_ref);
  const changed = accepted.filter((entity) => storedByKey.get(entity.key)?.hash !== entity.hash);
  const added = changed.filter((entity) => !storedByKey.has(entity.key)).length;

  const rootOf = new Map(storedLocations.map((row) => [row.location_key, row.root_key]));
  const newLocations = read.locations.filter((location) => rootOf.get(location) !== options.rootKey);
  const now = options.now ?? new Date();
  if (changed.length > 0 || removed.length > 0 || newLocations.length > 0 || unreachable.length > 0) {
    await store.transaction(async (tx) => {
      await deleteEntities(tx, removed, true);
      await deleteEntities(
        tx,
        changed.map((entity) => entity.key),
        false,
      );
      await writeEntities(tx, changed, now);
      await tx.insertRows(
        'catalog_locations',
        ['location_key', 'root_key', 'imported_at'],
        newLocations.map((location) => [location, options.rootKey, now]),
        { onConflict: { target: ['location_key'], action: 'update' } },
      );
      if (unreachable.length > 0) {
        await tx.execute('DELETE FROM catalog_locations WHERE location_key = ANY($1)', [unreachable]);
      }
    });
  }

  return {
    added,
    updated: changed.length - added,
    removed: removed.length,
    unchanged: accepted.length - changed.length,
    rejected: rejected.size,
    problems,
  };
}

/** Deletes the tags and relations of `keys`, and the entities themselves when `entities` is set. */
async function deleteEntities(tx: Queryable, keys: readonly string[], entities: boolean): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute('DELETE FROM catalog_tags WHERE entity_ref = ANY($1)', [keys]);
  await tx.execute('DELETE FROM catalog_relations WHERE origin_ref = ANY($1)', [keys]);
  if (entities) await tx.execute('DELETE FROM catalog_entities WHERE entity_ref = ANY($1)', [keys]);
}

async function writeEntities(tx: Queryable, entities: readonly CheckedEntity[], now: Date): Promise<void> {
  if (entities.length === 0) return;
  const columns = [
    'entity_ref',
    'kind',
    'namespace',
    'name',
    'title',
    'description',
    'spec_type',
    'lifecycle',
    'owner_ref',
    'system_ref',
    'domain_ref',
    'tier',
    'body',
    'hash',
    'location_key',
    'location_line',
    'warnings',
    'created_at',
    'updated_at',
  ];
  const rows: SqlParam[][] = entities.map((entity) => [
    entity.key,
    entity.kind,
    entity.namespace,
    entity.name,
    entity.title ?? null,
    entity.description ?? null,
    entity.type ?? null,
    entity.lifecycle ?? null,
    entity.ownerRef ?? null,
    entity.systemRef ?? null,
    entity.domainRef ?? null,
    entity.tier ?? null,
    JSON.stringify(entity.document.entity),
    entity.hash,
    entity.document.locationKey,
    entity.document.location.line ?? null,
    JSON.stringify(entity.warnings),
    now,
    now,
  ]);
  await tx.insertRows('catalog_entities', columns, rows, {
    onConflict: {
      target: ['entity_ref'],
      action: 'update',
      update: columns.filter((column) => column !== 'entity_ref' && column !== 'created_at'),
    },
  });
  await tx.insertRows(
    'catalog_tags',
    ['entity_ref', 'tag'],
    entities.flatMap((entity) => [...new Set(entity.tags)].map((tag) => [entity.key, tag])),
  );
  await tx.insertRows(
    'catalog_relations',
    ['origin_ref', 'source_ref', 'type', 'target_ref'],
    entities.flatMap((entity) =>
      entity.relations.map((relation) => [entity.key, relation.sourceRef, relation.type, relation.targetRef]),
    ),
  );
}
