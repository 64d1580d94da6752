/**
 * The built-in entity kinds Pave validates and derives relations for, written once and read by
 * `validateEntity` (spec rules) and `entityRelations` (relation rules).
 *
 * Sources (Apache-2.0):
 * - spec rules: `@backstage/catalog-model` 1.10.1 `src/schema/kinds/<Kind>.v1alpha1.schema.json`,
 *   run by the kind validators that `BuiltinKindsEntityProcessor.validateEntityKind` tries in turn;
 *   Template: `@backstage/plugin-scaffolder-common` `src/Template.v1beta3.schema.json`, run by
 *   the scaffolder's `ScaffolderEntitiesProcessor`.
 * - relation rules: `plugins/catalog-backend/src/modules/core/BuiltinKindsEntityProcessor.ts`
 *   (`postProcessEntity` / `doEmit`), completed with the `relationFields` that catalog-model
 *   1.10.1 declares for each kind (`src/kinds/<Kind>EntityV1alpha1.ts`), which add Component
 *   `spec.dependencyOf` and Domain `spec.subdomainOf`; Template: `ScaffolderEntitiesProcessor`.
 */

/** The relation types Backstage's built-in processors emit (`src/kinds/relations.ts`). */
export const RELATION_TYPES = [
  'ownedBy',
  'ownerOf',
  'partOf',
  'hasPart',
  'dependsOn',
  'dependencyOf',
  'providesApi',
  'apiProvidedBy',
  'consumesApi',
  'apiConsumedBy',
  'memberOf',
  'hasMember',
  'parentOf',
  'childOf',
] as const;

/** One of the built-in relation types. */
export type RelationType = (typeof RELATION_TYPES)[number];

/**
 * How a spec field is checked, mirroring its JSON schema:
 * `string`: a string of at least one character; `strings`: a list of such strings;
 * `profile`: a mapping whose displayName/email/picture are non-empty strings;
 * `presence`: `required` or `optional`; `refs`: not in the schema, but read by the processor as a
 * reference or a list of references (`[targets].flat()`).
 */
export type SpecFieldType = 'string' | 'strings' | 'profile' | 'presence' | 'refs';

/** One field of a kind's spec. */
export interface SpecField {
  readonly name: string;
  readonly type: SpecFieldType;
  readonly required: boolean;
}

/** A spec field holding entity references, and the pair of relations each reference yields. */
export interface RelationField {
  readonly field: string;
  /** Kind assumed when a reference leaves it out; none means the reference must name its kind. */
  readonly defaultKind: string | undefined;
  /** Relation from this entity to the target. */
  readonly outgoing: RelationType;
  /** Relation from the target back to this entity. */
  readonly incoming: RelationType;
}

/** A built-in kind: the apiVersions it accepts, its spec fields and its relation fields. */
export interface KindDefinition {
  readonly kind: string;
  readonly apiVersions: readonly string[];
  readonly specFields: readonly SpecField[];
  readonly relationFields: readonly RelationField[];
}

const BACKSTAGE_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] as const;

const req = (name: string, type: SpecFieldType): SpecField => ({ name, type, required: true });
const opt = (name: string, type: SpecFieldType): SpecField => ({ name, type, required: false });
const rel = (
  field: string,
  defaultKind: string | undefined,
  outgoing: RelationType,
  incoming: RelationType,
): RelationField => ({ field, defaultKind, outgoing, incoming });

const OWNER = rel('owner', 'Group', 'ownedBy', 'ownerOf');
const SYSTEM = rel('system', 'System', 'partOf', 'hasPart');

/** The built-in kinds, in the order `BuiltinKindsEntityProcessor` lists its validators. */
export const BUILTIN_KINDS: readonly KindDefinition[] = [
  {
    kind: 'API',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [
      req('type', 'string'),
      req('lifecycle', 'string'),
      req('owner', 'string'),
      opt('system', 'string'),
      req('definition', 'string'),
    ],
    relationFields: [OWNER, SYSTEM],
  },
  {
    kind: 'Component',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [
      req('type', 'string'),
      req('lifecycle', 'string'),
      req('owner', 'string'),
      opt('system', 'string'),
      opt('subcomponentOf', 'string'),
      opt('providesApis', 'strings'),
      opt('consumesApis', 'strings'),
      opt('dependsOn', 'strings'),
      opt('dependencyOf', 'refs'),
    ],
    relationFields: [
      OWNER,
      rel('subcomponentOf', 'Component', 'partOf', 'hasPart'),
      rel('providesApis', 'API', 'providesApi', 'apiProvidedBy'),
      rel('consumesApis', 'API', 'consumesApi', 'apiConsumedBy'),
      rel('dependsOn', undefined, 'dependsOn', 'dependencyOf'),
      rel('dependencyOf', undefined, 'dependencyOf', 'dependsOn'),
      SYSTEM,
    ],
  },
  {
    kind: 'Resource',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [
      req('type', 'string'),
      req('owner', 'string'),
      opt('dependsOn', 'strings'),
      opt('dependencyOf', 'refs'),
      opt('system', 'string'),
    ],
    relationFields: [
      OWNER,
      rel('dependsOn', undefined, 'dependsOn', 'dependencyOf'),
      rel('dependencyOf', undefined, 'dependencyOf', 'dependsOn'),
      SYSTEM,
    ],
  },
  {
    kind: 'Group',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [
      req('type', 'string'),
      opt('profile', 'profile'),
      opt('parent', 'string'),
      req('children', 'strings'),
      opt('members', 'strings'),
    ],
    relationFields: [
      rel('parent', 'Group', 'childOf', 'parentOf'),
      rel('children', 'Group', 'parentOf', 'childOf'),
      rel('members', 'User', 'hasMember', 'memberOf'),
    ],
  },
  {
    kind: 'Location',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [
      opt('type', 'string'),
      opt('target', 'string'),
      opt('targets', 'strings'),
      opt('presence', 'presence'),
    ],
    relationFields: [],
  },
  {
    // Spec rules for Template live in validateEntity (`checkTemplateSpec`): its schema is deeper.
    kind: 'Template',
    apiVersions: ['scaffolder.backstage.io/v1beta3'],
    specFields: [],
    relationFields: [OWNER],
  },
  {
    kind: 'User',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [opt('profile', 'profile'), req('memberOf', 'strings')],
    relationFields: [rel('memberOf', 'Group', 'memberOf', 'hasMember')],
  },
  {
    kind: 'System',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [req('owner', 'string'), opt('domain', 'string'), opt('type', 'string')],
    relationFields: [OWNER, rel('domain', 'Domain', 'partOf', 'hasPart')],
  },
  {
    kind: 'Domain',
    apiVersions: BACKSTAGE_VERSIONS,
    specFields: [req('owner', 'string'), opt('subdomainOf', 'string'), opt('type', 'string')],
    relationFields: [OWNER, rel('subdomainOf', 'Domain', 'partOf', 'hasPart')],
  },
];

const byKind = new Map<string, KindDefinition>(BUILTIN_KINDS.map((k) => [k.kind, k]));
const byLowerKind = new Map<string, KindDefinition>(BUILTIN_KINDS.map((k) => [k.kind.toLowerCase(), k]));

/** The built-in kind spelled exactly `kind` (Backstage matches kinds case-sensitively). */
export function builtinKind(kind: string): KindDefinition | undefined {
  return byKind.get(kind);
}

/** The built-in kind `kind` names when compared case-insensitively, for "did you mean" hints. */
export function builtinKindIgnoringCase(kind: string): KindDefinition | undefined {
  return byLowerKind.get(kind.toLowerCase());
}
