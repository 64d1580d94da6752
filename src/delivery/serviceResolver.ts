/**
 * Which catalog Component an event's service name means.
 *
 * Events name services in many ways: a catalog ref (`component:default/checkout`), a repository
 * (`acme/checkout`, GitHub and GitLab webhooks), a CDEvents subject id (`service/checkout`), a bare
 * name. The rules, tried in order (the first that finds exactly one component wins):
 * 1. `ref`: an entity ref of kind Component (`component:checkout`, `component:default/checkout`);
 * 2. `project-slug`: a repository (`owner/repo`, or its URL) equal to a component's
 *    `github.com/project-slug` or `gitlab.com/project-slug` annotation;
 * 3. `source-location`: the same repository in a component's `backstage.io/source-location`;
 * 4. `namespace/name`: a component of that namespace and name;
 * 5. `name`: a component of that name in the default namespace, else the only one of that name;
 * 6. `last-segment`: rule 5 applied to the last `/`-separated segment (`service/checkout`).
 * A name matching several components under one rule is ambiguous and stays unresolved, as does a
 * name nothing matches: its deployments are kept, counted at organisation scope as unattributed,
 * and left out of service, team, system and domain scopes. Names compare ignoring case.
 */
import { DEFAULT_NAMESPACE, tryEntityRefKey } from '../core/entityRef.js';
import type { Queryable } from '../store/Store.js';

/** How one service name resolved. */
export interface ServiceResolution {
  service: string;
  /** The component ref, or the name itself when unresolved. */
  serviceKey: string;
  resolved: boolean;
  /** The rule that matched (`ref`, `project-slug`, ...), or why nothing did (`unresolved`, `ambiguous`). */
  rule: string;
}

/** The catalog's components, indexed for the resolution rules. */
export interface ComponentIndex {
  refs: ReadonlySet<string>;
  slugs: ReadonlyMap<string, string[]>;
  sourceLocations: ReadonlyMap<string, string[]>;
  names: ReadonlyMap<string, string[]>;
  /** A digest of what the index was built from: the resolution changes only when it changes. */
  fingerprint: string;
}

interface ComponentRow {
  entity_ref: string;
  namespace: string;
  name: string;
  github_slug: string | null;
  gitlab_slug: string | null;
  source_location: string | null;
  updated_at: Date | null;
}

/** Reads the catalog's components (read-only, through the catalog tables). */
export async function loadComponentIndex(db: Queryable): Promise<ComponentIndex> {
  const rows = await db.query<ComponentRow>(
    `SELECT entity_ref, namespace, name,
            body -> 'metadata' -> 'annotations' ->> 'github.com/project-slug' AS github_slug,
            body -> 'metadata' -> 'annotations' ->> 'gitlab.com/project-slug' AS gitlab_slug,
            body -> 'metadata' -> 'annotations' ->> 'backstage.io/source-location' AS source_location,
            updated_at
       FROM catalog_entities WHERE lower(kind) = 'component'
      ORDER BY entity_ref`,
  );
  const refs = new Set<string>();
  const slugs = new Map<string, string[]>();
  const sourceLocations = new Map<string, string[]>();
  const names = new Map<string, string[]>();
  let latest = 0;
  for (const row of rows) {
    const ref = row.entity_ref.toLowerCase();
    refs.add(ref);
    for (const slug of [row.github_slug, row.gitlab_slug]) {
      if (slug) push(slugs, normaliseRepository(slug), ref);
    }
    const location = row.source_location ? repositoryOfLocation(row.source_location) : undefined;
    if (location) push(sourceLocations, location, ref);
    push(names, `${row.namespace.toLowerCase()}/${row.name.toLowerCase()}`, ref);
    latest = Math.max(latest, row.updated_at?.getTime() ?? 0);
  }
  return { refs, slugs, sourceLocations, names, fingerprint: `${rows.length}:${latest}` };
}

/** Resolves one service name against the index by the rules above. */
export function resolveService(service: string, index: ComponentIndex): ServiceResolution {
  const unresolved = (rule: string): ServiceResolution => ({
    service,
    serviceKey: service,
    resolved: false,
    rule,
  });
  const found = (ref: string, rule: string): ServiceResolution => ({
    service,
    serviceKey: ref,
    resolved: true,
    rule,
  });
  let ambiguous = false;
  const one = (refs: readonly string[] | undefined): string | undefined => {
    if (refs === undefined || refs.length === 0) return undefined;
    if (refs.length > 1) {
      ambiguous = true;
      return undefined;
    }
    return refs[0];
  };

  const trimmed = service.trim();
  const colon = trimmed.indexOf(':');
  const slash = trimmed.indexOf('/');
  const hasKind = colon > 0 && (slash === -1 || colon < slash) && !trimmed.includes('://');
  if (hasKind) {
    const key = tryEntityRefKey(trimmed);
    if (key?.startsWith('component:') && index.refs.has(key)) return found(key, 'ref');
    return unresolved('unresolved');
  }
  const repository = normaliseRepository(trimmed);
  if (repository.includes('/')) {
    const bySlug = one(index.slugs.get(repository));
    if (bySlug) return found(bySlug, 'project-slug');
    const byLocation = one(index.sourceLocations.get(repository));
    if (byLocation) return found(byLocation, 'source-location');
    const byPath = one(index.names.get(repository));
    if (byPath) return found(byPath, 'namespace/name');
  }
  const bare = repository.includes('/') ? undefined : repository;
  if (bare !== undefined) {
    const byName = byBareName(bare, index);
    if (byName === 'ambiguous') ambiguous = true;
    else if (byName) return found(byName, 'name');
  } else {
    const last = repository.slice(repository.lastIndexOf('/') + 1);
    const byLast = last === '' ? undefined : byBareName(last, index);
    if (byLast === 'ambiguous') ambiguous = true;
    else if (byLast) return found(byLast, 'last-segment');
  }
  return unresolved(ambiguous ? 'ambiguous' : 'unresolved');
}

function byBareName(name: string, index: ComponentIndex): string | 'ambiguous' | undefined {
  const inDefault = index.names.get(`${DEFAULT_NAMESPACE}/${name}`);
  if (inDefault?.length === 1) return inDefault[0];
  const anywhere: string[] = [];
  for (const [key, refs] of index.names) {
    if (key.slice(key.indexOf('/') + 1) === name) anywhere.push(...refs);
  }
  if (anywhere.length === 1) return anywhere[0];
  return anywhere.length > 1 ? 'ambiguous' : undefined;
}

/**
 * A repository as Pave compares it: `owner/repo` in lower case, from a slug or a clone or web URL
 * (`https://github.com/Acme/Checkout.git` -> `acme/checkout`).
 */
export function normaliseRepository(text: string): string {
  let value = text.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\//.exec(value);
  if (scheme) value = value.slice(scheme[0].length);
  else if (/^git@[^:]+:/.test(value)) value = value.slice(value.indexOf(':') + 1);
  return value.replace(/\.git$/, '').replace(/\/+$/, '');
}

/**
 * The repository of a `backstage.io/source-location` (`url:https://github.com/acme/shop/tree/main/x`):
 * the path before GitHub's `/tree/` or `/blob/` or GitLab's `/-/`.
 */
export function repositoryOfLocation(location: string): string | undefined {
  const url = location.replace(/^url:/, '');
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(.+)$/i.exec(url.trim());
  if (!match) return undefined;
  let path = match[1]!;
  for (const marker of ['/-/', '/tree/', '/blob/', '/src/']) {
    const at = path.indexOf(marker);
    if (at !== -1) path = path.slice(0, at);
  }
  const repository = normaliseRepository(path);
  return repository.includes('/') ? repository : undefined;
}

function push(map: Map<string, string[]>, key: string, ref: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [ref]);
  else if (!list.includes(ref)) list.push(ref);
}
