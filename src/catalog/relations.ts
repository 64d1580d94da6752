/**
 * The relations an entity yields, derived exactly as Backstage derives them.
 *
 * Source: backstage/backstage `plugins/catalog-backend/src/modules/core/BuiltinKindsEntityProcessor.ts`
 * `postProcessEntity` (commit 1d80427d): for each relation field of the entity's kind, every
 * reference in it (`[targets].flat()`) is parsed with `parseEntityRef(target, { defaultKind,
 * defaultNamespace: <the entity's namespace> })` and emits two relations: the outgoing one from the
 * entity and its inverse from the target. Templates: `plugins/scaffolder-backend/src/processor/
 * ScaffolderEntitiesProcessor.ts` (owner only, apiVersion scaffolder.backstage.io/v1beta3).
 * Component `spec.dependencyOf` (backstage/backstage#26614) and Domain `spec.subdomainOf` (#17125),
 * newer than that commit, follow the `relationFields` that `@backstage/catalog-model` 1.10.1 declares
 * for those kinds. The field table is in `kinds.ts`.
 */
import { DEFAULT_NAMESPACE, entityRefKey, parseEntityRef } from '../core/entityRef.js';
import { type EntityIdentity, entityKey } from './entityKey.js';
import { builtinKind, type RelationType } from './kinds.js';
import type { StoredRelation } from './model.js';

/** What `entityReferences` and `entityRelations` read: a validated entity. */
export interface RelatedEntity extends EntityIdentity {
  apiVersion?: string;
  spec?: Record<string, unknown>;
}

/** One entity reference written in a relation field of an entity's spec. */
export interface EntityReference {
  /** Where it is written, e.g. `['spec', 'dependsOn', 0]`, for file:line:col of a dangling reference. */
  path: (string | number)[];
  /** The spec field, e.g. `owner`. */
  field: string;
  /** Lower-case key of the target, `kind:namespace/name`, with the field's defaults applied. */
  targetRef: string;
  /** Relation from the entity to the target. */
  outgoing: RelationType;
  /** Relation from the target back to the entity. */
  incoming: RelationType;
}

/**
 * Every reference in the entity's relation fields, in field order. References that do not parse
 * are left out (`validateEntity` reports them); so are kinds without built-in relations.
 */
export function entityReferences(entity: RelatedEntity): EntityReference[] {
  const definition = builtinKind(entity.kind);
  const spec = entity.spec;
  if (!definition || !spec) return [];
  // ScaffolderEntitiesProcessor only reads v1beta3 templates.
  if (definition.kind === 'Template' && entity.apiVersion !== 'scaffolder.backstage.io/v1beta3') return [];
  const context = { defaultNamespace: entity.metadata.namespace || DEFAULT_NAMESPACE };
  const references: EntityReference[] = [];
  for (const relation of definition.relationFields) {
    const value = spec[relation.field];
    const add = (target: unknown, path: (string | number)[]) => {
      // Backstage skips empty targets (`if (!targets) return`); Pave only reads written strings.
      if (typeof target !== 'string' || target === '') return;
      let key: string;
      try {
        key = entityRefKey(parseEntityRef(target, { ...context, defaultKind: relation.defaultKind }));
      } catch {
        return;
      }
      references.push({
        path,
        field: relation.field,
        targetRef: key,
        outgoing: relation.outgoing,
        incoming: relation.incoming,
      });
    };
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) add(value[i], ['spec', relation.field, i]);
    } else {
      add(value, ['spec', relation.field]);
    }
  }
  return references;
}

/**
 * The relations Backstage stores for this entity, both directions: for `owner: team-a` on
 * component `checkout`, `component:default/checkout ownedBy group:default/team-a` and
 * `group:default/team-a ownerOf component:default/checkout`. Each relation appears once.
 */
export function entityRelations(
  entity: RelatedEntity,
  references: readonly EntityReference[] = entityReferences(entity),
): StoredRelation[] {
  const self = entityKey(entity);
  const relations: StoredRelation[] = [];
  const seen = new Set<string>();
  const push = (sourceRef: string, type: RelationType, targetRef: string) => {
    const id = `${sourceRef}\u0000${type}\u0000${targetRef}`;
    if (seen.has(id)) return;
    seen.add(id);
    relations.push({ sourceRef, type, targetRef });
  };
  for (const reference of references) {
    push(self, reference.outgoing, reference.targetRef);
    push(reference.targetRef, reference.incoming, self);
  }
  return relations;
}
