/**
 * The demo organisation as plain, typed data: what `generateOrganisation` returns and what every
 * later demo part (delivery history, SLOs, incidents, cost) reuses. JSON-serialisable: no class
 * instances, no `Map`s. Every reference is a full entity ref, `kind:namespace/name`, in lower case
 * kind and namespace (`stringifyEntityRef`), so parts can join on it; `toEntities.ts` shortens them
 * the way people write them in `catalog-info.yaml`.
 */

/** How fast and safely a team ships: its DORA tier for the delivery demo. */
export type DeliveryPerformance = 'elite' | 'high' | 'medium' | 'low';
/** Which way a team's delivery figures move over the demo's history. */
export type Trend = 'improving' | 'steady' | 'declining';
/** How often a team's services break: for SLO attainment and incidents. */
export type ReliabilityProfile = 'strong' | 'average' | 'fragile';

/** A team's character, kept in the model (not in the catalog files) for the later demo parts. */
export interface TeamProfile {
  delivery: DeliveryPerformance;
  trend: Trend;
  reliability: ReliabilityProfile;
}

export type GroupType = 'organization' | 'department' | 'team';

/** A Group entity: the organisation root, a department or a team. */
export interface DemoGroup {
  ref: string;
  name: string;
  type: GroupType;
  displayName: string;
  description: string;
  email: string;
  /** Parent group ref; absent on the root. */
  parent?: string;
  /** Child group refs, in order. */
  children: string[];
}

/** A department: a Group of type `department` that owns domains. */
export interface DemoDepartment extends DemoGroup {
  type: 'department';
  /** Domain refs this department owns. */
  domains: string[];
}

/** A team: a Group of type `team`, with its character for the later demo parts. */
export interface DemoTeam extends DemoGroup {
  type: 'team';
  /** Department ref (also `parent`). */
  department: string;
  profile: TeamProfile;
  /** IANA time zone of the team's office: on-call interruptions are counted in it. */
  timezone: string;
  /** The language most of its services are written in. */
  language: string;
}

export type UserRole = 'executive' | 'manager' | 'engineer';

/** A User entity. */
export interface DemoUser {
  ref: string;
  name: string;
  displayName: string;
  email: string;
  /** Group refs: the team (or department, or root for executives) first. */
  memberOf: string[];
  role: UserRole;
  /** Job title, written as the User's description. */
  title: string;
  /** IANA time zone the person works in (annotation `pave.dev/timezone`). */
  timezone: string;
}

/** A Domain entity, owned by a department. */
export interface DemoDomain {
  ref: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  /** System refs in this domain. */
  systems: string[];
}

/** A System entity, owned by a team, in a domain. */
export interface DemoSystem {
  ref: string;
  name: string;
  title: string;
  description: string;
  owner: string;
  domain: string;
  department: string;
  /** Team refs that own components of this system (the owner first). */
  teams: string[];
  /** Whether the system is business critical: its services lean tier 1. */
  critical: boolean;
  /** `owner/repo` when the system's components share a monorepo. */
  monorepo?: string;
}

export type ComponentType = 'service' | 'website' | 'library';
export type Lifecycle = 'production' | 'experimental' | 'deprecated';
/** Where a component sits in the call graph; dependencies only point to later layers. */
export type ComponentRole = 'frontend' | 'bff' | 'gateway' | 'domain' | 'worker' | 'platform' | 'library';
export type Tier = 1 | 2 | 3;

/** A link as Backstage writes it in `metadata.links`. */
export interface DemoLink {
  url: string;
  title: string;
  icon?: string;
  type?: string;
}

/** A Component entity. */
export interface DemoComponent {
  ref: string;
  name: string;
  title: string;
  description: string;
  type: ComponentType;
  role: ComponentRole;
  lifecycle: Lifecycle;
  tier: Tier;
  /** The catalog owner: a team's Group ref, or (a deliberate imperfection) a User ref. */
  owner: string;
  /** The team responsible in the model, even when `owner` is a person. */
  team: string;
  department: string;
  /** System ref; absent for a few deliberately unassigned components. */
  system?: string;
  domain?: string;
  language: string;
  /** GitHub `owner/repo` (annotation `github.com/project-slug`). */
  repository: string;
  /** Path inside the repository, `''` at its root. */
  repositoryPath: string;
  /** PagerDuty service id for tier-1 and tier-2 services and websites. */
  pagerDutyServiceId?: string;
  /** Whether the component publishes TechDocs (`backstage.io/techdocs-ref`). */
  techdocs: boolean;
  tags: string[];
  links: DemoLink[];
  /** Component and Resource refs, sorted. */
  dependsOn: string[];
  /** API refs, sorted. */
  providesApis: string[];
  /** API refs, sorted. */
  consumesApis: string[];
}

export type ApiType = 'openapi' | 'grpc' | 'asyncapi';

/** An API entity; provided by exactly one component. */
export interface DemoApi {
  ref: string;
  name: string;
  title: string;
  description: string;
  type: ApiType;
  lifecycle: Lifecycle;
  owner: string;
  system?: string;
  /** The component ref that provides it. */
  provider: string;
  /** The definition text: OpenAPI 3.0 YAML, proto3, or AsyncAPI 2.6 YAML. */
  definition: string;
  tags: string[];
}

export type ResourceType = 'database' | 'queue' | 's3-bucket' | 'cache';

/** A Resource entity. */
export interface DemoResource {
  ref: string;
  name: string;
  namespace: string;
  title: string;
  description: string;
  type: ResourceType;
  owner: string;
  system?: string;
  tags: string[];
}

export type QuirkKind =
  | 'user-owner'
  | 'deprecated-dependency'
  | 'cross-namespace-dependency'
  | 'shared-database'
  | 'missing-runbook'
  | 'no-system';

/** One deliberate imperfection, of the kind every real catalog has. */
export interface DemoQuirk {
  kind: QuirkKind;
  /** The entity that carries it. */
  ref: string;
  description: string;
}

/** The whole organisation. */
export interface DemoOrganisation {
  options: { seed: number; teams: number };
  /** The company's slug (root group name and GitHub organisation). */
  name: string;
  displayName: string;
  /** Namespace of the shared infrastructure resources, for the cross-namespace references. */
  infraNamespace: string;
  root: DemoGroup;
  departments: DemoDepartment[];
  teams: DemoTeam[];
  users: DemoUser[];
  domains: DemoDomain[];
  systems: DemoSystem[];
  components: DemoComponent[];
  apis: DemoApi[];
  resources: DemoResource[];
  quirks: DemoQuirk[];
}
