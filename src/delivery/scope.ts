/**
 * The scopes delivery metrics are computed for: `org`, `service:<ref>`, `team:<ref>`,
 * `system:<ref>`, `domain:<ref>`, each turned into the catalog components it covers.
 *
 * - a team covers the components it owns, those of its child teams (recursively, through the
 *   catalog's `parentOf` relations), and those owned by a User who is a member of one of them:
 *   a team answers for its sub-teams, and a component wrongly owned by a person still belongs
 *   to that person's team (metrics are never computed per person);
 * - a system covers its components; a domain the components of its systems and of its
 *   subdomains' systems;
 * - `org` covers every deployment, including those whose service resolves to no component.
 * Read-only queries on the catalog tables.
 */
import { tryEntityRefKey } from '../core/entityRef.js';
import { InputError, NotFoundError } from '../core/errors.js';
import type { Queryable } from '../store/Store.js';

export const SCOPE_KINDS = ['org', 'service', 'team', 'system', 'domain'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

const DEFAULT_KIND: Record<Exclude<ScopeKind, 'org'>, string> = {
  service: 'component',
  team: 'group',
  system: 'system',
  domain: 'domain',
};

/** A scope as given and the components it covers. */
export interface ResolvedScope {
  /** Normalised: `org`, `team:group:default/payments`, ... */
  scope: string;
  kind: ScopeKind;
  /** The entity ref (lower case), except for `org`. */
  ref?: string;
  /** The components covered, sorted; `undefined` for `org` (everything, unresolved services too). */
  components?: string[];
}

/** Parses `org` or `<kind>:<entity ref>`; throws an `InputError` naming the problem. */
export function parseScope(text: string): { kind: ScopeKind; ref?: string } {
  const trimmed = text.trim();
  if (trimmed === 'org' || trimmed === 'organisation' || trimmed === 'organization') return { kind: 'org' };
  const colon = trimmed.indexOf(':');
  const kind = colon === -1 ? '' : trimmed.slice(0, colon);
  if (!(SCOPE_KINDS as readonly string[]).includes(kind) || kind === 'org') {
    throw new InputError(
      `scope "${text}": expected org, service:<ref>, team:<ref>, system:<ref> or domain:<ref>`,
      [{ severity: 'error', message: 'unknown scope', location: { file: 'scope' } }],
    );
  }
  const scopeKind = kind as Exclude<ScopeKind, 'org'>;
  const ref = tryEntityRefKey(trimmed.slice(colon + 1), { defaultKind: DEFAULT_KIND[scopeKind] });
  if (ref === undefined) {
    throw new InputError(`scope "${text}": "${trimmed.slice(colon + 1)}" is not an entity reference`);
  }
  const expected = DEFAULT_KIND[scopeKind];
  if (!ref.startsWith(`${expected}:`)) {
    throw new InputError(`scope "${text}": a ${scopeKind} scope takes a ${expected} reference, not ${ref}`);
  }
  return { kind: scopeKind, ref };
}

/** The components a scope covers; a scope naming an entity missing from the catalog is not found. */
export async function resolveScope(db: Queryable, text: string): Promise<ResolvedScope> {
  const { kind, ref } = parseScope(text);
  if (kind === 'org' || ref === undefined) return { scope: 'org', kind: 'org' };
  const [exists] = await db.query<{ n: number }>(
    'SELECT count(*) AS n FROM catalog_entities WHERE entity_ref = $1',
    [ref],
  );
  if (!exists || exists.n === 0) throw new NotFoundError(`no ${ref} in the catalog (scope ${kind}:${ref})`);
  const rows = await db.query<{ entity_ref: string }>(componentsSql(kind), [ref]);
  return {
    scope: `${kind}:${ref}`,
    kind,
    ref,
    components: rows.map((row) => row.entity_ref).sort(),
  };
}

function componentsSql(kind: Exclude<ScopeKind, 'org'>): string {
  const component = "lower(e.kind) = 'component'";
  switch (kind) {
    case 'service':
      return `SELECT e.entity_ref FROM catalog_entities e WHERE ${component} AND e.entity_ref = $1`;
    case 'team':
      return `WITH RECURSIVE teams(ref) AS (
                SELECT CAST($1 AS TEXT)
                UNION
                SELECT r.target_ref FROM catalog_relations r JOIN teams t ON r.source_ref = t.ref
                 WHERE r.type = 'parentOf'
              ),
              owners(ref) AS (
                SELECT ref FROM teams
                UNION
                SELECT r.target_ref FROM catalog_relations r JOIN teams t ON r.source_ref = t.ref
                 WHERE r.type = 'hasMember'
              )
              SELECT DISTINCT e.entity_ref FROM catalog_entities e JOIN owners o ON e.owner_ref = o.ref
               WHERE ${component}`;
    case 'system':
      return `SELECT e.entity_ref FROM catalog_entities e WHERE ${component} AND e.system_ref = $1`;
    case 'domain':
      return `WITH RECURSIVE domains(ref) AS (
                SELECT CAST($1 AS TEXT)
                UNION
                SELECT r.target_ref FROM catalog_relations r JOIN domains d ON r.source_ref = d.ref
                 WHERE r.type = 'hasPart' AND r.target_ref LIKE 'domain:%'
              )
              SELECT DISTINCT e.entity_ref FROM catalog_entities e
                JOIN catalog_entities s ON s.entity_ref = e.system_ref
                JOIN domains d ON s.domain_ref = d.ref
               WHERE ${component}`;
  }
}
