/**
 * Scopes for reports that other domains filter by (`--scope org|team:<ref>|service:<ref>`): which
 * catalog components a scope covers. A team covers the components owned by the team, by any of its
 * descendant groups (`parentOf`, transitively), or by a user who is a member of one of them (the
 * deliberate "a person owns it" imperfection every real catalog has).
 */
import { InputError } from '../core/errors.js';
import type { Store } from '../store/Store.js';
import { refKey } from './queries.js';

/** A parsed scope. Refs are lower-case keys, as the catalog tables store them. */
export type Scope = { type: 'org' } | { type: 'team'; ref: string } | { type: 'service'; ref: string };

/** Parses `org`, `team:<group ref>` or `service:<component ref>` (kinds default to Group and Component). */
export function parseScope(text: string | undefined): Scope {
  const value = (text ?? 'org').trim();
  if (value === '' || value === 'org') return { type: 'org' };
  const colon = value.indexOf(':');
  const type = colon === -1 ? value : value.slice(0, colon);
  const ref = colon === -1 ? '' : value.slice(colon + 1).trim();
  if ((type === 'team' || type === 'service') && ref !== '') {
    return { type, ref: refKey(ref, type === 'team' ? 'group' : 'component', `scope ${type}`) };
  }
  throw new InputError(
    `scope "${value}" is not org, team:<group ref> or service:<component ref> (e.g. team:payments, service:checkout)`,
  );
}

/**
 * The component refs (lower-case keys) a scope covers, sorted; `undefined` for `org` (everything).
 * A team or service that is not in the catalog covers nothing.
 */
export async function componentsInScope(store: Store, scope: Scope): Promise<string[] | undefined> {
  if (scope.type === 'org') return undefined;
  if (scope.type === 'service') {
    const rows = await store.query<{ entity_ref: string }>(
      "SELECT entity_ref FROM catalog_entities WHERE entity_ref = $1 AND lower(kind) = 'component'",
      [scope.ref],
    );
    return rows.map((row) => row.entity_ref);
  }
  const rows = await store.query<{ entity_ref: string }>(
    `WITH RECURSIVE groups(ref) AS (
       SELECT entity_ref FROM catalog_entities WHERE entity_ref = $1 AND lower(kind) = 'group'
       UNION
       SELECT CASE WHEN r.type = 'parentOf' THEN r.target_ref ELSE r.source_ref END
       FROM catalog_relations r JOIN groups g
         ON (r.type = 'parentOf' AND r.source_ref = g.ref) OR (r.type = 'childOf' AND r.target_ref = g.ref)
     ),
     owners(ref) AS (
       SELECT ref FROM groups
       UNION
       SELECT CASE WHEN r.type = 'memberOf' THEN r.source_ref ELSE r.target_ref END
       FROM catalog_relations r JOIN groups g
         ON (r.type = 'memberOf' AND r.target_ref = g.ref) OR (r.type = 'hasMember' AND r.source_ref = g.ref)
     )
     SELECT DISTINCT e.entity_ref FROM catalog_entities e JOIN owners o ON e.owner_ref = o.ref
     WHERE lower(e.kind) = 'component'
     ORDER BY e.entity_ref`,
    [scope.ref],
  );
  return rows.map((row) => row.entity_ref);
}
