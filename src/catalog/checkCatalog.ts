/**
 * Checks a batch of read documents as a whole: each entity against Backstage's rules, names
 * unique per kind and namespace (case-insensitively), and every reference resolving to an entity
 * in the batch or already stored. The result says which entities may be written.
 */
import { createHash } from 'node:crypto';
import { parseEntityRef } from '../core/entityRef.js';
import type { Problem, SourceLocation } from '../core/errors.js';
import { entityKey } from './entityKey.js';
import type { SourceDocument } from './ingest/backstage.js';
import type { StoredRelation } from './model.js';
import { type EntityReference, entityReferences, entityRelations } from './relations.js';
import { validateEntity } from './validateEntity.js';

/** An entity that passed its checks, with everything needed to store it. */
export interface CheckedEntity {
  key: string;
  document: SourceDocument;
  kind: string;
  namespace: string;
  name: string;
  title: string | undefined;
  description: string | undefined;
  type: string | undefined;
  lifecycle: string | undefined;
  ownerRef: string | undefined;
  systemRef: string | undefined;
  domainRef: string | undefined;
  tier: string | undefined;
  tags: string[];
  /** The references its spec makes, with where each is written. */
  references: EntityReference[];
  relations: StoredRelation[];
  /** Warnings that belong to the entity itself (not dangling references, computed when read). */
  warnings: Problem[];
  /** Changes whenever the entity or the file it comes from changes. */
  hash: string;
}

export interface CheckResult {
  entities: CheckedEntity[];
  /** Keys of entities that failed their checks. */
  rejected: Set<string>;
  problems: Problem[];
}

export interface CheckOptions {
  /** Dangling references are errors instead of warnings. */
  strict?: boolean;
  /** Keys that exist outside the batch (already stored); the batch itself always counts. */
  knownKeys?: ReadonlySet<string>;
}

/** Checks documents as one batch. */
export function checkCatalog(documents: readonly SourceDocument[], options: CheckOptions = {}): CheckResult {
  const problems: Problem[] = [];
  const rejected = new Set<string>();
  const candidates: CheckedEntity[] = [];
  const firstByKey = new Map<string, SourceDocument>();

  for (const document of documents) {
    const issues = validateEntity(document.entity);
    const displayRef = describeRef(document.entity);
    const entityProblems: Problem[] = issues.map((issue) => ({
      severity: issue.severity,
      message: issue.message,
      location: document.locate(issue.path),
      entityRef: displayRef,
    }));
    problems.push(...entityProblems);
    const key = identityKey(document.entity);
    if (entityProblems.some((problem) => problem.severity === 'error') || key === undefined) {
      if (key !== undefined) rejected.add(key);
      continue;
    }
    const first = firstByKey.get(key);
    if (first) {
      rejected.add(key);
      problems.push({
        severity: 'error',
        message: `${key} is defined twice (names are unique per kind and namespace, ignoring case); first at ${formatWhere(first.location)}`,
        location: document.locate(['metadata', 'name']),
        entityRef: displayRef,
      });
      continue;
    }
    firstByKey.set(key, document);
    candidates.push(toChecked(key, document, entityProblems));
  }

  // A duplicate rejects every copy: which one is right is for the user to say.
  const entities = candidates.filter((entity) => !rejected.has(entity.key));
  const present = new Set([...(options.knownKeys ?? []), ...entities.map((entity) => entity.key)]);
  // Validation reads only the files; an import also knows what the database holds.
  const where = options.knownKeys === undefined ? 'in the files validated' : 'in the catalog';
  for (const entity of entities) {
    for (const reference of entity.references) {
      if (present.has(reference.targetRef)) continue;
      problems.push({
        severity: options.strict ? 'error' : 'warning',
        message: `${reference.outgoing} ${reference.targetRef}: no such entity ${where}`,
        location: entity.document.locate(reference.path),
        entityRef: describeRef(entity.document.entity),
      });
      if (options.strict) rejected.add(entity.key);
    }
  }
  return { entities: entities.filter((entity) => !rejected.has(entity.key)), rejected, problems };
}

function toChecked(key: string, document: SourceDocument, entityProblems: Problem[]): CheckedEntity {
  const { entity } = document;
  const metadata = (entity.metadata ?? {}) as Record<string, unknown>;
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
  const references = entityReferences(entity as never);
  const relations = entityRelations(entity as never, references);
  const targetOf = (type: string, kind: string) =>
    relations.find((r) => r.sourceRef === key && r.type === type && r.targetRef.startsWith(`${kind}:`))
      ?.targetRef;
  const parsed = parseEntityRef(key);
  return {
    key,
    document,
    kind: String(entity.kind),
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : parsed.namespace,
    name: String(metadata.name),
    title: optionalString(metadata.title),
    description: optionalString(metadata.description),
    type: optionalString(spec.type),
    lifecycle: optionalString(spec.lifecycle),
    ownerRef: relations.find((r) => r.sourceRef === key && r.type === 'ownedBy')?.targetRef,
    systemRef: targetOf('partOf', 'system'),
    domainRef: targetOf('partOf', 'domain'),
    tier: optionalString(annotations['pave.dev/tier']),
    tags: Array.isArray(metadata.tags)
      ? metadata.tags.filter((tag): tag is string => typeof tag === 'string')
      : [],
    references,
    relations,
    warnings: entityProblems.filter((problem) => problem.severity === 'warning'),
    hash: createHash('sha256')
      .update(document.locationKey)
      .update('\0')
      .update(JSON.stringify(entity))
      .digest('hex'),
  };
}

/** `kind:namespace/name` as written, for messages, even when the entity is invalid. */
export function describeRef(entity: Record<string, unknown>): string {
  const metadata = (entity.metadata ?? {}) as Record<string, unknown>;
  const kind = typeof entity.kind === 'string' ? entity.kind.toLowerCase() : '?';
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
  return `${kind}:${namespace}/${typeof metadata.name === 'string' ? metadata.name : '?'}`;
}

function formatWhere(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** The entity's key when its kind and name are at least strings, even if otherwise invalid. */
function identityKey(entity: Record<string, unknown>): string | undefined {
  const metadata = entity.metadata as Record<string, unknown> | undefined;
  if (typeof entity.kind !== 'string' || typeof metadata?.name !== 'string' || metadata.name === '')
    return undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return entityKey({
    kind: entity.kind,
    metadata: { name: metadata.name, ...(namespace ? { namespace } : {}) },
  });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
