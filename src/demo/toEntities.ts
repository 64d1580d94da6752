/**
 * The demo model as Backstage catalog entities (`backstage.io/v1alpha1`), written the way people
 * write `catalog-info.yaml`: keys in the usual order (apiVersion, kind, metadata, spec), references
 * shortened to what the field implies (`owner: checkout`, `dependsOn: [resource:order-db]`), empty
 * lists left out.
 */
import { parseEntityRef } from '../core/entityRef.js';
import type {
  DemoApi,
  DemoComponent,
  DemoDomain,
  DemoGroup,
  DemoLink,
  DemoOrganisation,
  DemoResource,
  DemoSystem,
  DemoUser,
} from './model.js';

export const DEMO_API_VERSION = 'backstage.io/v1alpha1';

/** The Backstage entity shape the demo writes. */
export interface CatalogEntity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
    tags?: string[];
    links?: DemoLink[];
  };
  spec: Record<string, unknown>;
}

/** Annotation keys the demo sets. */
export const ANNOTATIONS = {
  tier: 'pave.dev/tier',
  timezone: 'pave.dev/timezone',
  sourceLocation: 'backstage.io/source-location',
  techdocs: 'backstage.io/techdocs-ref',
  githubSlug: 'github.com/project-slug',
  pagerDuty: 'pagerduty.com/service-id',
} as const;

/**
 * `kind:namespace/name` as a person writes it inside an entity of `namespace`: the kind left out
 * when the field implies it (`defaultKind`), the namespace when it is the entity's own.
 */
export function shortRef(ref: string, defaultKind?: string, namespace = 'default'): string {
  const parsed = parseEntityRef(ref);
  const sameKind = defaultKind !== undefined && parsed.kind.toLowerCase() === defaultKind.toLowerCase();
  const path = parsed.namespace === namespace ? parsed.name : `${parsed.namespace}/${parsed.name}`;
  return sameKind ? path : `${parsed.kind}:${path}`;
}

function sortedRecord(entries: [string, string | undefined][]): Record<string, string> | undefined {
  const present = entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (present.length === 0) return undefined;
  present.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(present);
}

/** Drops `undefined` values and empty lists, keeping key order. */
function compact<T extends Record<string, unknown>>(record: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    result[key] = value;
  }
  return result as T;
}

function entity(
  kind: string,
  metadata: CatalogEntity['metadata'],
  spec: Record<string, unknown>,
  keepEmpty: string[] = [],
): CatalogEntity {
  const compacted = compact(spec);
  // A Group's `children` is required even when empty.
  for (const key of keepEmpty) if (!(key in compacted)) compacted[key] = spec[key];
  return { apiVersion: DEMO_API_VERSION, kind, metadata: compact(metadata), spec: compacted };
}

/** A Group entity. */
export function groupEntity(group: DemoGroup): CatalogEntity {
  return entity(
    'Group',
    { name: group.name, title: group.displayName, description: group.description },
    {
      type: group.type,
      profile: { displayName: group.displayName, email: group.email },
      parent: group.parent ? shortRef(group.parent, 'group') : undefined,
      children: group.children.map((child) => shortRef(child, 'group')),
    },
    ['children'],
  );
}

/** A User entity. */
export function userEntity(user: DemoUser): CatalogEntity {
  return entity(
    'User',
    {
      name: user.name,
      description: user.title,
      annotations: sortedRecord([[ANNOTATIONS.timezone, user.timezone]]),
    },
    {
      profile: { displayName: user.displayName, email: user.email },
      memberOf: user.memberOf.map((group) => shortRef(group, 'group')),
    },
    ['memberOf'],
  );
}

/** A Domain entity. */
export function domainEntity(domain: DemoDomain): CatalogEntity {
  return entity(
    'Domain',
    { name: domain.name, title: domain.title, description: domain.description },
    { owner: shortRef(domain.owner, 'group') },
  );
}

/** A System entity. */
export function systemEntity(system: DemoSystem): CatalogEntity {
  return entity(
    'System',
    { name: system.name, title: system.title, description: system.description },
    { owner: shortRef(system.owner, 'group'), domain: shortRef(system.domain, 'domain') },
  );
}

/** A Component entity, with its tier, repository and PagerDuty annotations. */
export function componentEntity(component: DemoComponent): CatalogEntity {
  const tree = `https://github.com/${component.repository}/tree/main/${component.repositoryPath ? `${component.repositoryPath}/` : ''}`;
  return entity(
    'Component',
    {
      name: component.name,
      title: component.title,
      description: component.description,
      annotations: sortedRecord([
        [ANNOTATIONS.sourceLocation, `url:${tree}`],
        [ANNOTATIONS.techdocs, component.techdocs ? 'dir:.' : undefined],
        [ANNOTATIONS.githubSlug, component.repository],
        [ANNOTATIONS.pagerDuty, component.pagerDutyServiceId],
        [ANNOTATIONS.tier, String(component.tier)],
      ]),
      tags: component.tags,
      links: component.links.map((link) => ({ ...link })),
    },
    {
      type: component.type,
      lifecycle: component.lifecycle,
      owner: shortRef(component.owner, 'group'),
      system: component.system ? shortRef(component.system, 'system') : undefined,
      // `dependsOn` has no default kind in Backstage: every entry names its kind.
      dependsOn: component.dependsOn.map((ref) => shortRef(ref)),
      providesApis: component.providesApis.map((ref) => shortRef(ref, 'api')),
      consumesApis: component.consumesApis.map((ref) => shortRef(ref, 'api')),
    },
  );
}

/** An API entity with its inline definition. */
export function apiEntity(api: DemoApi): CatalogEntity {
  return entity(
    'API',
    { name: api.name, title: api.title, description: api.description, tags: api.tags },
    {
      type: api.type,
      lifecycle: api.lifecycle,
      owner: shortRef(api.owner, 'group'),
      system: api.system ? shortRef(api.system, 'system') : undefined,
      definition: api.definition,
    },
  );
}

/** A Resource entity. */
export function resourceEntity(resource: DemoResource): CatalogEntity {
  const namespace = resource.namespace;
  return entity(
    'Resource',
    {
      name: resource.name,
      namespace: namespace === 'default' ? undefined : namespace,
      title: resource.title,
      description: resource.description,
      tags: resource.tags,
    },
    {
      type: resource.type,
      owner: shortRef(resource.owner, 'group', namespace),
      system: resource.system ? shortRef(resource.system, 'system', namespace) : undefined,
    },
  );
}

/** Every entity of the organisation (without the Location entities the files add). */
export function organisationEntities(org: DemoOrganisation): CatalogEntity[] {
  return [
    groupEntity(org.root),
    ...org.departments.map(groupEntity),
    ...org.teams.map(groupEntity),
    ...org.users.map(userEntity),
    ...org.domains.map(domainEntity),
    ...org.systems.map(systemEntity),
    ...org.components.map(componentEntity),
    ...org.apis.map(apiEntity),
    ...org.resources.map(resourceEntity),
  ];
}
