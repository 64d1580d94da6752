/**
 * The key an entity is stored, looked up and compared by: `kind:namespace/name` in lower case.
 * Backstage compares entity refs case-insensitively, so two entities whose keys are equal are
 * duplicates even when written `Component:default/Checkout` and `component:default/checkout`.
 */
import { DEFAULT_NAMESPACE, entityRefKey } from '../core/entityRef.js';

/** The identifying part of an entity: enough to compute its key. */
export interface EntityIdentity {
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** Lower-case `kind:namespace/name` of a validated entity; a missing namespace is `default`. */
export function entityKey(entity: EntityIdentity): string {
  return entityRefKey({
    kind: entity.kind,
    namespace: entity.metadata.namespace || DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  });
}
