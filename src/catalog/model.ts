/**
 * The catalog's data model: zod schemas (with `.meta` for the OpenAPI document) and the types
 * inferred from them.
 *
 * These schemas describe the *shape* of entities as Pave stores and serves them, after
 * `validateEntity` has accepted them. They are deliberately loose where Backstage is loose
 * (`metadata` and `spec` keep unknown fields) and are not the validator: the exact Backstage
 * rules, with one located message per problem, live in `validateEntity.ts`.
 * Field descriptions follow `@backstage/catalog-model` `EntityMeta.schema.json` and the kind
 * schemas `src/schema/kinds/*.schema.json`.
 */
import { z } from 'zod';
import { RELATION_TYPES } from './kinds.js';

/** A link from `metadata.links`. */
export const EntityLinkSchema = z
  .object({
    url: z.string().min(1).meta({ description: 'A URL in a standard URI format.' }),
    title: z.string().min(1).optional().meta({ description: 'A user-friendly display name for the link.' }),
    icon: z.string().min(1).optional().meta({ description: 'A key representing a visual icon.' }),
    type: z.string().min(1).optional().meta({ description: 'Groups links, e.g. runbook, dashboard.' }),
  })
  .loose()
  .meta({ id: 'EntityLink', description: 'An external hyperlink related to the entity.' });
export type EntityLink = z.infer<typeof EntityLinkSchema>;

/** `metadata`: name and namespace identify the entity; unknown fields are kept, as in Backstage. */
export const EntityMetaSchema = z
  .object({
    name: z.string().min(1).meta({ description: 'Unique per kind and namespace, case-insensitively.' }),
    namespace: z.string().min(1).optional().meta({ description: 'Defaults to "default".' }),
    title: z.string().min(1).optional().meta({ description: 'A display name, shown instead of the name.' }),
    description: z.string().optional().meta({ description: 'A short description of the entity.' }),
    labels: z.record(z.string(), z.string()).optional().meta({ description: 'Identifying key/value pairs.' }),
    annotations: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Non-identifying key/value pairs for tools.' }),
    tags: z.array(z.string().min(1)).optional().meta({ description: 'Single-valued classifications.' }),
    links: z.array(EntityLinkSchema).optional(),
    uid: z.string().min(1).optional().meta({ description: 'Set by the catalog; globally unique.' }),
    etag: z.string().min(1).optional().meta({ description: 'Set by the catalog; changes on every update.' }),
  })
  .loose()
  .meta({ id: 'EntityMeta', description: 'Metadata common to every kind of entity.' });
export type EntityMeta = z.infer<typeof EntityMetaSchema>;

/** A relation as Backstage attaches it to an entity: from this entity to `targetRef`. */
export const RelationSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'The relation type, e.g. ownedBy, dependsOn.' }),
    targetRef: z.string().min(1).meta({ description: 'Lower-case key of the target: kind:namespace/name.' }),
  })
  .meta({ id: 'Relation', description: 'A directed relation from this entity to another.' });
export type Relation = z.infer<typeof RelationSchema>;

/** A relation as Pave stores it: both ends are lower-case `kind:namespace/name` keys. */
export const StoredRelationSchema = z
  .object({
    sourceRef: z.string().min(1).meta({ description: 'Lower-case key of the source entity.' }),
    type: z.enum(RELATION_TYPES).meta({ description: 'The relation type.' }),
    targetRef: z.string().min(1).meta({ description: 'Lower-case key of the target entity.' }),
  })
  .meta({ id: 'StoredRelation', description: 'A directed relation between two entities.' });
export type StoredRelation = z.infer<typeof StoredRelationSchema>;

/** Any entity: the envelope; `spec` is kind-specific and kept as written. */
export const EntitySchema = z
  .object({
    apiVersion: z.string().min(1).meta({ description: 'e.g. backstage.io/v1alpha1.' }),
    kind: z.string().min(1).meta({ description: 'e.g. Component, API, Group.' }),
    metadata: EntityMetaSchema,
    spec: z.record(z.string(), z.unknown()).optional().meta({ description: 'Kind-specific data.' }),
    relations: z
      .array(RelationSchema)
      .optional()
      .meta({ description: 'Derived by the catalog; never written.' }),
  })
  .meta({ id: 'Entity', description: 'A catalog entity in the Backstage descriptor format.' });
export type Entity = z.infer<typeof EntitySchema>;

const ref = (description: string) => z.string().min(1).meta({ description });
const refs = (description: string) => z.array(z.string().min(1)).meta({ description });

/** `spec` of a Component (`Component.v1alpha1.schema.json`). */
export const ComponentSpecSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'e.g. service, website, library.' }),
    lifecycle: z.string().min(1).meta({ description: 'e.g. experimental, production, deprecated.' }),
    owner: ref('Owner reference; default kind Group.'),
    system: ref('System reference; default kind System.').optional(),
    subcomponentOf: ref('Parent component reference; default kind Component.').optional(),
    providesApis: refs('APIs provided; default kind API.').optional(),
    consumesApis: refs('APIs consumed; default kind API.').optional(),
    dependsOn: refs('Dependencies; each reference must name its kind.').optional(),
    dependencyOf: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .meta({
        description: 'Dependents; each reference must name its kind.',
      }),
  })
  .loose()
  .meta({ id: 'ComponentSpec', description: 'A software component.' });
export type ComponentSpec = z.infer<typeof ComponentSpecSchema>;

/** `spec` of an API (`API.v1alpha1.schema.json`). */
export const ApiSpecSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'e.g. openapi, asyncapi, graphql, grpc.' }),
    lifecycle: z.string().min(1),
    owner: ref('Owner reference; default kind Group.'),
    system: ref('System reference; default kind System.').optional(),
    definition: z.string().min(1).meta({ description: 'The API definition, in the format of its type.' }),
  })
  .loose()
  .meta({ id: 'ApiSpec', description: 'An interface exposed by a component.' });
export type ApiSpec = z.infer<typeof ApiSpecSchema>;

/** `spec` of a Resource (`Resource.v1alpha1.schema.json`). */
export const ResourceSpecSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'e.g. database, s3-bucket, cluster.' }),
    owner: ref('Owner reference; default kind Group.'),
    dependsOn: refs('Dependencies; each reference must name its kind.').optional(),
    dependencyOf: z.union([z.string(), z.array(z.string())]).optional(),
    system: ref('System reference; default kind System.').optional(),
  })
  .loose()
  .meta({ id: 'ResourceSpec', description: 'Infrastructure a system needs to operate.' });
export type ResourceSpec = z.infer<typeof ResourceSpecSchema>;

/** `spec` of a System (`System.v1alpha1.schema.json`). */
export const SystemSpecSchema = z
  .object({
    owner: ref('Owner reference; default kind Group.'),
    domain: ref('Domain reference; default kind Domain.').optional(),
    type: z.string().min(1).optional(),
  })
  .loose()
  .meta({ id: 'SystemSpec', description: 'A collection of components, APIs and resources.' });
export type SystemSpec = z.infer<typeof SystemSpecSchema>;

/** `spec` of a Domain (`Domain.v1alpha1.schema.json`). */
export const DomainSpecSchema = z
  .object({
    owner: ref('Owner reference; default kind Group.'),
    subdomainOf: ref('Parent domain reference; default kind Domain.').optional(),
    type: z.string().min(1).optional(),
  })
  .loose()
  .meta({ id: 'DomainSpec', description: 'A bounded context grouping systems.' });
export type DomainSpec = z.infer<typeof DomainSpecSchema>;

const ProfileSchema = z
  .object({
    displayName: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
    picture: z.string().min(1).optional(),
  })
  .loose()
  .meta({ id: 'Profile', description: 'Display information for a group or user.' });

/** `spec` of a Group (`Group.v1alpha1.schema.json`). */
export const GroupSpecSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'e.g. team, business-unit.' }),
    profile: ProfileSchema.optional(),
    parent: ref('Parent group reference; default kind Group.').optional(),
    children: refs('Child groups; default kind Group. Required, may be empty.'),
    members: refs('Member users; default kind User.').optional(),
  })
  .loose()
  .meta({ id: 'GroupSpec', description: 'A team or another organisational unit.' });
export type GroupSpec = z.infer<typeof GroupSpecSchema>;

/** `spec` of a User (`User.v1alpha1.schema.json`). */
export const UserSpecSchema = z
  .object({
    profile: ProfileSchema.optional(),
    memberOf: refs('Groups; default kind Group. Required, may be empty.'),
  })
  .loose()
  .meta({ id: 'UserSpec', description: 'A person.' });
export type UserSpec = z.infer<typeof UserSpecSchema>;

/** `spec` of a Location (`Location.v1alpha1.schema.json`). */
export const LocationSpecSchema = z
  .object({
    type: z.string().min(1).optional(),
    target: z.string().min(1).optional().meta({ description: 'A path or URL, relative to this file.' }),
    targets: z.array(z.string().min(1)).optional(),
    presence: z.enum(['required', 'optional']).optional(),
  })
  .loose()
  .meta({ id: 'LocationSpec', description: 'Where to look for more catalog files.' });
export type LocationSpec = z.infer<typeof LocationSpecSchema>;

/** `spec` of a Template, `scaffolder.backstage.io/v1beta3` (stored; used by golden paths). */
export const TemplateSpecSchema = z
  .object({
    type: z.string().min(1).meta({ description: 'The type of component the template creates.' }),
    owner: ref('Owner reference; default kind Group.').optional(),
    lifecycle: z.string().min(1).optional(),
    parameters: z
      .union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))])
      .optional(),
    steps: z.array(
      z
        .object({
          id: z.string().optional(),
          name: z.string().optional(),
          action: z.string(),
          input: z.record(z.string(), z.unknown()).optional(),
          if: z.union([z.string(), z.boolean()]).optional(),
        })
        .loose(),
    ),
    output: z.record(z.string(), z.unknown()).optional(),
  })
  .loose()
  .meta({ id: 'TemplateSpec', description: 'A software template (scaffolder.backstage.io/v1beta3).' });
export type TemplateSpec = z.infer<typeof TemplateSpecSchema>;

/** A validation problem found in one entity, located in the source file when known. */
export const CatalogProblemSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    pointer: z.string().optional().meta({ description: 'JSON pointer into the entity, e.g. /spec/owner.' }),
    entityRef: z.string().optional(),
  })
  .meta({ id: 'CatalogProblem', description: 'A validation error or warning.' });
export type CatalogProblem = z.infer<typeof CatalogProblemSchema>;

/** One row of an entity list: enough to show and filter without the whole entity. */
export const EntitySummarySchema = z
  .object({
    ref: z.string().meta({ description: 'Lower-case key kind:namespace/name.' }),
    kind: z.string(),
    namespace: z.string(),
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    type: z.string().optional().meta({ description: 'spec.type, when the kind has one.' }),
    lifecycle: z.string().optional(),
    owner: z.string().optional().meta({ description: 'Key of the ownedBy target.' }),
    system: z.string().optional().meta({ description: 'Key of the partOf target of kind System.' }),
    tags: z.array(z.string()),
  })
  .meta({ id: 'EntitySummary', description: 'An entity in a list.' });
export type EntitySummary = z.infer<typeof EntitySummarySchema>;

/** One entity with its relations (both directions) and its validation warnings. */
export const EntityDetailSchema = z
  .object({
    ref: z.string().meta({ description: 'Lower-case key kind:namespace/name.' }),
    entity: EntitySchema,
    relations: z.array(StoredRelationSchema).meta({ description: 'Relations from and to this entity.' }),
    warnings: z.array(CatalogProblemSchema),
  })
  .meta({ id: 'EntityDetail', description: 'An entity, its relations and its warnings.' });
export type EntityDetail = z.infer<typeof EntityDetailSchema>;
