/**
 * The dependency graph around an entity, walked breadth-first one level per query.
 *
 * `dependencies`: what the entity needs: `dependsOn` targets, and the APIs it consumes with the
 * components that provide them. `dependents` (the blast radius): who needs it: `dependencyOf`
 * targets, and the consumers of the APIs it provides.
 */
import { InputError, NotFoundError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { refKey } from './queries.js';

export type GraphDirection = 'dependencies' | 'dependents';

/** Relation types followed from each node, per direction. */
const FOLLOWED: Record<GraphDirection, readonly string[]> = {
  dependencies: ['dependsOn', 'consumesApi', 'apiProvidedBy'],
  dependents: ['dependencyOf', 'providesApi', 'apiConsumedBy'],
};

export const DEFAULT_GRAPH_DEPTH = 5;
export const MAX_GRAPH_DEPTH = 20;

export interface GraphNode {
  ref: string;
  /** Hops from the root (0 for the root). */
  distance: number;
  kind?: string;
  name?: string;
  title?: string;
  owner?: string;
  lifecycle?: string;
  tier?: string;
  /** Referenced but not in the catalog. */
  missing?: boolean;
}

export interface GraphEdge {
  source: string;
  type: string;
  target: string;
}

export interface EntityGraph {
  root: string;
  direction: GraphDirection;
  depth: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The graph reachable from `ref` in `direction`, up to `depth` hops. */
export async function entityGraph(
  store: Store,
  ref: string,
  direction: GraphDirection,
  depth = DEFAULT_GRAPH_DEPTH,
): Promise<EntityGraph> {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_GRAPH_DEPTH) {
    throw new InputError(`depth must be a whole number from 1 to ${MAX_GRAPH_DEPTH}`);
  }
  const root = refKey(ref, 'component', 'entity reference');
  const exists = await store.query('SELECT 1 FROM catalog_entities WHERE entity_ref = $1', [root]);
  if (exists.length === 0) throw new NotFoundError(`no entity ${root} in the catalog`);

  const distance = new Map<string, number>([[root, 0]]);
  const edges: GraphEdge[] = [];
  let frontier = [root];
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const rows = await store.query<{ source_ref: string; type: string; target_ref: string }>(
      `SELECT DISTINCT source_ref, type, target_ref FROM catalog_relations
        WHERE source_ref = ANY($1) AND type = ANY($2) ORDER BY source_ref, type, target_ref`,
      [frontier, [...FOLLOWED[direction]]],
    );
    const next: string[] = [];
    for (const row of rows) {
      edges.push({ source: row.source_ref, type: row.type, target: row.target_ref });
      if (!distance.has(row.target_ref)) {
        distance.set(row.target_ref, level);
        next.push(row.target_ref);
      }
    }
    frontier = next;
  }

  const details = await store.query<{
    entity_ref: string;
    kind: string;
    name: string;
    title: string | null;
    owner_ref: string | null;
    lifecycle: string | null;
    tier: string | null;
  }>(
    'SELECT entity_ref, kind, name, title, owner_ref, lifecycle, tier FROM catalog_entities WHERE entity_ref = ANY($1)',
    [[...distance.keys()]],
  );
  const byRef = new Map(details.map((row) => [row.entity_ref, row]));
  const nodes = [...distance.entries()]
    .map(([nodeRef, hops]): GraphNode => {
      const row = byRef.get(nodeRef);
      if (!row) return { ref: nodeRef, distance: hops, missing: true };
      return {
        ref: nodeRef,
        distance: hops,
        kind: row.kind,
        name: row.name,
        ...(row.title ? { title: row.title } : {}),
        ...(row.owner_ref ? { owner: row.owner_ref } : {}),
        ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
        ...(row.tier ? { tier: row.tier } : {}),
      };
    })
    .sort((a, b) => a.distance - b.distance || a.ref.localeCompare(b.ref));
  return { root, direction, depth, nodes, edges };
}
