/**
 * Validates one catalog entity exactly as the Backstage catalog does, and says what is wrong
 * with every problem, not only the first.
 *
 * The Backstage catalog runs, in this order (plugins/catalog-backend `CatalogBuilder`
 * `buildEntityPolicy`, then `DefaultCatalogProcessingOrchestrator`):
 * 1. `SchemaValidEntityPolicy`: the entity against `Entity.schema.json` / `EntityMeta.schema.json`;
 * 2. `DefaultNamespaceEntityPolicy`: a missing namespace becomes `default`;
 * 3. `NoForeignRootFieldsEntityPolicy`: only apiVersion, kind, metadata and spec at the root;
 * 4. `FieldFormatEntityPolicy`: name, namespace, kind, apiVersion, label, annotation, tag and link
 *    formats (`KubernetesValidatorFunctions`, `CommonValidatorFunctions`, `makeValidator`);
 * 5. the kind validators of `BuiltinKindsEntityProcessor.validateEntityKind` (and the scaffolder's
 *    for Template): the kind's JSON schema; no validator recognising the entity is an error;
 * 6. `BuiltinKindsEntityProcessor.postProcessEntity`: every reference in a relation field goes
 *    through `parseEntityRef`, which throws on a malformed one.
 * Backstage stops at the first failure; Pave reports one issue per problem, so an entity is
 * valid for Pave exactly when it is valid for Backstage (checked by `validateEntity.backstage.test.ts`).
 * The one deliberate difference: an entity of a kind no built-in validator knows is stored as a
 * generic entity with a warning instead of being rejected.
 *
 * Written by hand, without a schema library: it runs on every entity of every import, and plain
 * checks with regular expressions compiled once beat ajv about fivefold (see
 * bench/catalog-validate.bench.ts).
 */
import { builtinKind, builtinKindIgnoringCase, type KindDefinition, type SpecField } from './kinds.js';

/** Stable identifiers for what an issue is about; documented in docs/catalog-validation.md. */
export type EntityIssueCode =
  | 'invalid-entity'
  | 'unknown-root-field'
  | 'invalid-api-version'
  | 'invalid-kind'
  | 'unknown-kind'
  | 'invalid-metadata'
  | 'invalid-name'
  | 'invalid-namespace'
  | 'invalid-label'
  | 'invalid-annotation'
  | 'invalid-tag'
  | 'invalid-link'
  | 'invalid-spec'
  | 'missing-field'
  | 'invalid-field'
  | 'invalid-entity-ref';

/** One problem with an entity. `path` points at the offending node (or at the missing one). */
export interface EntityIssue {
  severity: 'error' | 'warning';
  /** Keys and indexes from the entity's root, e.g. `['metadata', 'tags', 1]`. A missing field's path names the field itself; resolve it to its nearest existing ancestor for a position. */
  path: (string | number)[];
  message: string;
  code: EntityIssueCode;
}

/** Options for `validateEntity`. */
export interface ValidateEntityOptions {
  /**
   * Accept an unresolved Backstage placeholder (`{ $text: url }`, `$json`, `$yaml`) wherever a
   * value is expected (default true): the reader resolves the ones it can and warns about the rest.
   */
  allowPlaceholders?: boolean;
}

// Compiled once. Each is the expression Backstage uses, cited beside it.
/** KubernetesValidatorFunctions.isValidObjectName */
const OBJECT_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** CommonValidatorFunctions.isValidDnsLabel */
const DNS_LABEL_RE = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
/** KubernetesValidatorFunctions.isValidKind */
const KIND_RE = /^[a-zA-Z][a-z0-9A-Z]*$/;
/** KubernetesValidatorFunctions.isValidApiVersion, the part after the optional prefix */
const VERSION_RE = /^[a-z0-9A-Z]+$/;
/** makeValidator's isValidTag (it allows ':' where CommonValidatorFunctions.isValidTag does not) */
const TAG_RE = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
const PLACEHOLDER_KEYS = new Set(['$text', '$json', '$yaml']);

const NAME_RULE =
  'a name is 1-63 characters of letters, digits, "-", "_" and ".", beginning and ending with a letter or digit';
const NAMESPACE_RULE =
  'a namespace is a DNS label: 1-63 characters of lower-case letters, digits and "-", beginning and ending with a letter or digit';
const KIND_RULE = 'a kind is a letter followed by letters and digits, at most 63 characters';
const API_VERSION_RULE =
  'an apiVersion is [DNS-subdomain/]version, the version being 1-63 letters and digits, e.g. "backstage.io/v1alpha1"';
const KEY_RULE =
  'a key is an optional DNS-subdomain prefix and "/", then a name of 1-63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit';
const TAG_RULE =
  'a tag is 1-63 characters of lower-case letters, digits, ":", "+" and "#", in parts joined by single "-"';

/** True for a YAML mapping / JSON object (ajv's `type: object`: not null, not an array). */
function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `metadata.name`: Backstage `isValidObjectName`. */
export function isValidEntityName(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 63 && OBJECT_NAME_RE.test(value);
}

/** `metadata.namespace` and each part of a DNS subdomain: Backstage `isValidDnsLabel`. */
export function isValidDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 63 && DNS_LABEL_RE.test(value);
}

/** A label or annotation key prefix: Backstage `isValidDnsSubdomain`. */
export function isValidDnsSubdomain(value: string): boolean {
  if (value.length < 1 || value.length > 253) return false;
  let start = 0;
  for (;;) {
    const dot = value.indexOf('.', start);
    const part = dot === -1 ? value.slice(start) : value.slice(start, dot);
    if (!isValidDnsLabel(part)) return false;
    if (dot === -1) return true;
    start = dot + 1;
  }
}

/** `kind`: Backstage `isValidKind`. */
export function isValidKind(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 63 && KIND_RE.test(value);
}

/** `apiVersion`: Backstage `isValidApiVersion` (optional DNS-subdomain prefix, `/`, version). */
export function isValidApiVersion(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  const version = slash === -1 ? value : value.slice(slash + 1);
  if (slash !== -1 && (value.indexOf('/', slash + 1) !== -1 || !isValidDnsSubdomain(value.slice(0, slash)))) {
    return false;
  }
  return version.length >= 1 && version.length <= 63 && VERSION_RE.test(version);
}

/** A label or annotation key: Backstage `isValidLabelKey` / `isValidAnnotationKey` (the same rule). */
export function isValidLabelKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const slash = value.indexOf('/');
  if (slash === -1) return isValidEntityName(value);
  if (value.indexOf('/', slash + 1) !== -1) return false;
  return isValidDnsSubdomain(value.slice(0, slash)) && isValidEntityName(value.slice(slash + 1));
}

/** A label value: Backstage `isValidLabelValue` (empty, or a valid object name). */
export function isValidLabelValue(value: unknown): boolean {
  return value === '' || isValidEntityName(value);
}

/** A tag: Backstage `makeValidator().isValidTag`. */
export function isValidTag(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 63 && TAG_RE.test(value);
}

/** A link URL: Backstage `isValidUrl` (anything the WHATWG URL parser accepts). */
export function isValidUrl(value: unknown): value is string {
  return typeof value === 'string' && URL.canParse(value);
}

/** What a value is, for messages: `the string "x"`, `number 5`, `null`, `a list`, `a mapping`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${quote(value)}`;
    case 'object':
      return 'a mapping';
    case 'undefined':
      return 'nothing';
    default:
      return `${typeof value} ${String(value)}`;
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 97)}...` : text);
}

function charName(char: string): string {
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  if (char === '\n') return 'a line break';
  return quote(char);
}

const isAlnum = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
const isLowerAlnum = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

/** Why `value` fails isValidObjectName. Only called on failure. */
function nameReason(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > 63) return `it is ${value.length} characters long, more than 63`;
  let position = 0;
  for (const c of value) {
    position++;
    if (!isAlnum(c) && c !== '-' && c !== '_' && c !== '.')
      return `it contains ${charName(c)} at position ${position}`;
  }
  if (!isAlnum(value[0]!)) return `it begins with ${charName(value[0]!)}`;
  return `it ends with ${charName(value.at(-1)!)}`;
}

/** Why `value` fails isValidDnsLabel. */
function dnsLabelReason(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > 63) return `it is ${value.length} characters long, more than 63`;
  let position = 0;
  for (const c of value) {
    position++;
    if (c >= 'A' && c <= 'Z') return `it contains the upper-case letter "${c}" at position ${position}`;
    if (!isLowerAlnum(c) && c !== '-') return `it contains ${charName(c)} at position ${position}`;
  }
  if (value.startsWith('-')) return 'it begins with "-"';
  return 'it ends with "-"';
}

/** Why `value` fails isValidDnsSubdomain. */
function dnsSubdomainReason(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > 253) return `it is ${value.length} characters long, more than 253`;
  for (const part of value.split('.')) {
    if (!isValidDnsLabel(part))
      return part === '' ? 'it has an empty part between dots' : dnsLabelReason(part);
  }
  return 'it is not a DNS subdomain';
}

/** Why `value` fails isValidLabelKey / isValidAnnotationKey. */
function keyReason(value: string): string {
  const parts = value.split('/');
  if (parts.length > 2) return 'it contains more than one "/"';
  if (parts.length === 2) {
    const [prefix, name] = parts as [string, string];
    if (!isValidDnsSubdomain(prefix))
      return `its prefix ${quote(prefix)} is not a DNS subdomain: ${dnsSubdomainReason(prefix)}`;
    return `its name part ${quote(name)} is not valid: ${nameReason(name)}`;
  }
  return nameReason(value);
}

/** Why `value` fails isValidKind. */
function kindReason(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > 63) return `it is ${value.length} characters long, more than 63`;
  const first = value[0]!;
  if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')))
    return `it begins with ${charName(first)}`;
  let position = 0;
  for (const c of value) {
    position++;
    if (!isAlnum(c)) return `it contains ${charName(c)} at position ${position}`;
  }
  return 'it is not a valid kind';
}

/** Why `value` fails isValidApiVersion. */
function apiVersionReason(value: string): string {
  const parts = value.split('/');
  if (parts.length > 2) return 'it contains more than one "/"';
  const version = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2 && !isValidDnsSubdomain(parts[0]!)) {
    return `its prefix ${quote(parts[0]!)} is not a DNS subdomain: ${dnsSubdomainReason(parts[0]!)}`;
  }
  if (version.length === 0) return 'the version is empty';
  if (version.length > 63) return `the version is ${version.length} characters long, more than 63`;
  for (const c of version) if (!isAlnum(c)) return `the version ${quote(version)} contains ${charName(c)}`;
  return 'it is not a valid apiVersion';
}

/** Why `value` fails isValidTag. */
function tagReason(value: string): string {
  if (value.length === 0) return 'it is empty';
  if (value.length > 63) return `it is ${value.length} characters long, more than 63`;
  let position = 0;
  for (const c of value) {
    position++;
    if (c >= 'A' && c <= 'Z') return `it contains the upper-case letter "${c}" at position ${position}`;
    if (!isLowerAlnum(c) && c !== ':' && c !== '+' && c !== '#' && c !== '-') {
      return `it contains ${charName(c)} at position ${position}`;
    }
  }
  if (value.startsWith('-')) return 'it begins with "-"';
  if (value.endsWith('-')) return 'it ends with "-"';
  return 'it contains "--"';
}

/**
 * Why an entity reference does not parse, mirroring Backstage `parseRefString` + `parseEntityRef`
 * (`src/entity/ref.ts`): the kind is what precedes the first ':' (unless a '/' comes first), the
 * namespace what precedes the first '/'; none of the parts written may be empty, and a reference
 * without a kind needs the field's default kind. `undefined` when it parses.
 */
function refReason(ref: string, hasDefaultKind: boolean): string | undefined {
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (slash !== -1 && slash < colon) colon = -1;
  if (colon === 0) return 'the kind before ":" is empty';
  if (slash !== -1 && slash === colon + 1) return 'the namespace before "/" is empty';
  if (Math.max(colon, slash) + 1 >= ref.length) return 'the name is empty';
  if (colon === -1 && !hasDefaultKind) return 'it does not name a kind';
  return undefined;
}

/** Collects issues for one entity. */
class Checker {
  readonly issues: EntityIssue[] = [];
  constructor(private readonly allowPlaceholders: boolean) {}

  error(path: (string | number)[], code: EntityIssueCode, message: string): void {
    this.issues.push({ severity: 'error', path, message, code });
  }

  warning(path: (string | number)[], code: EntityIssueCode, message: string): void {
    this.issues.push({ severity: 'warning', path, message, code });
  }

  /** An unresolved `$text`/`$json`/`$yaml` placeholder, accepted in place of any value. */
  isPlaceholder(value: unknown): boolean {
    if (!this.allowPlaceholders || !isMapping(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && PLACEHOLDER_KEYS.has(keys[0]!) && typeof value[keys[0]!] === 'string';
  }

  /**
   * A string of at least one character (`type: string, minLength: 1`); false if it is not (and
   * then it reported, unless the value is an accepted placeholder). Identity fields (apiVersion,
   * kind, name, namespace) pass `placeholders = false`: an entity must say who it is.
   */
  nonEmptyString(
    value: unknown,
    path: (string | number)[],
    label: string,
    code: EntityIssueCode,
    placeholders = true,
  ): boolean {
    if (typeof value === 'string') {
      if (value.length > 0) return true;
      this.error(path, code, `${label} must not be empty`);
      return false;
    }
    if (placeholders && this.isPlaceholder(value)) return false;
    this.error(path, code, `${label} must be a string, found ${describe(value)}`);
    return false;
  }

  /** Any string (`type: string`). */
  string(value: unknown, path: (string | number)[], label: string, code: EntityIssueCode): boolean {
    if (typeof value === 'string') return true;
    if (!this.isPlaceholder(value))
      this.error(path, code, `${label} must be a string, found ${describe(value)}`);
    return false;
  }

  /** A mapping (`type: object`). */
  mapping(value: unknown, path: (string | number)[], label: string, code: EntityIssueCode): boolean {
    if (isMapping(value)) return !this.isPlaceholder(value);
    this.error(path, code, `${label} must be a mapping, found ${describe(value)}`);
    return false;
  }

  /** A list (`type: array`). */
  list(value: unknown, path: (string | number)[], label: string, code: EntityIssueCode): value is unknown[] {
    if (Array.isArray(value)) return true;
    if (!this.isPlaceholder(value))
      this.error(path, code, `${label} must be a list, found ${describe(value)}`);
    return false;
  }

  /** A string or a boolean (`type: [string, boolean]`, the scaffolder's `if`). */
  stringOrBoolean(value: unknown, path: (string | number)[], label: string): void {
    if (typeof value === 'string' || typeof value === 'boolean' || this.isPlaceholder(value)) return;
    this.error(path, 'invalid-field', `${label} must be a string or a boolean, found ${describe(value)}`);
  }
}

/**
 * Every problem with `entity` (a parsed YAML document): root fields, then metadata, then spec, then
 * the references of the kind's relation fields. Empty when Backstage would accept the entity.
 * Errors make the entity invalid; warnings do not.
 */
export function validateEntity(entity: unknown, options: ValidateEntityOptions = {}): EntityIssue[] {
  const check = new Checker(options.allowPlaceholders !== false);
  if (!isMapping(entity)) {
    check.error(
      [],
      'invalid-entity',
      `an entity must be a mapping with apiVersion, kind, metadata and spec, found ${describe(entity)}`,
    );
    return check.issues;
  }

  for (const key of Object.keys(entity)) {
    if (!ROOT_FIELDS.has(key)) {
      check.error(
        [key],
        'unknown-root-field',
        `unknown root field ${quote(key)}: an entity has only apiVersion, kind, metadata and spec` +
          (key === 'relations' || key === 'status'
            ? ` (${key} is filled in by the catalog, not written)`
            : ''),
      );
    }
  }

  const apiVersion = entity.apiVersion;
  let apiVersionOk = false;
  if (apiVersion === undefined) {
    check.error(
      ['apiVersion'],
      'invalid-api-version',
      'apiVersion is missing, e.g. apiVersion: backstage.io/v1alpha1',
    );
  } else if (check.nonEmptyString(apiVersion, ['apiVersion'], 'apiVersion', 'invalid-api-version', false)) {
    if (isValidApiVersion(apiVersion)) apiVersionOk = true;
    else {
      const text = apiVersion as string;
      check.error(
        ['apiVersion'],
        'invalid-api-version',
        `apiVersion ${quote(text)} is not valid: ${apiVersionReason(text)}; ${API_VERSION_RULE}`,
      );
    }
  }

  const kind = entity.kind;
  let kindOk = false;
  if (kind === undefined) {
    check.error(['kind'], 'invalid-kind', 'kind is missing, e.g. kind: Component');
  } else if (check.nonEmptyString(kind, ['kind'], 'kind', 'invalid-kind', false)) {
    if (isValidKind(kind)) kindOk = true;
    else {
      const text = kind as string;
      check.error(
        ['kind'],
        'invalid-kind',
        `kind ${quote(text)} is not valid: ${kindReason(text)}; ${KIND_RULE}`,
      );
    }
  }

  const metadata = entity.metadata;
  if (metadata === undefined) {
    check.error(['metadata'], 'invalid-metadata', 'metadata is missing; every entity needs metadata.name');
  } else if (!isMapping(metadata)) {
    check.error(['metadata'], 'invalid-metadata', `metadata must be a mapping, found ${describe(metadata)}`);
  } else {
    checkMetadata(check, metadata);
  }

  const spec = entity.spec;
  const specOk = spec !== undefined && check.mapping(spec, ['spec'], 'spec', 'invalid-spec');

  if (!kindOk) return check.issues;
  const kindText = kind as string;
  const definition = builtinKind(kindText);
  if (!definition) {
    const near = builtinKindIgnoringCase(kindText);
    if (near) {
      check.error(
        ['kind'],
        'invalid-kind',
        `kind ${quote(kindText)} is not recognised: kinds are case-sensitive, write ${quote(near.kind)}`,
      );
    } else {
      check.warning(
        ['kind'],
        'unknown-kind',
        `kind ${quote(kindText)} is not a built-in kind; it is stored as a generic entity, without kind-specific checks or relations`,
      );
    }
    return check.issues;
  }

  if (apiVersionOk && !definition.apiVersions.includes(apiVersion as string)) {
    check.error(
      ['apiVersion'],
      'invalid-api-version',
      `apiVersion ${quote(apiVersion as string)} is not a version of kind ${definition.kind}: use ${definition.apiVersions.map((v) => quote(v)).join(' or ')}` +
        (definition.kind === 'Template' ? ' (Backstage no longer reads older template versions)' : ''),
    );
  }
  if (spec === undefined) {
    const required = definition.specFields.filter((f) => f.required).map((f) => f.name);
    if (definition.kind === 'Template') required.push('type', 'steps');
    check.error(
      ['spec'],
      'invalid-spec',
      `spec is missing; kind ${definition.kind} needs a spec` +
        (required.length > 0 ? ` with ${required.join(', ')}` : ' (it may be empty: spec: {})'),
    );
    return check.issues;
  }
  if (!specOk) return check.issues;
  const specMap = spec as Record<string, unknown>;
  for (const field of definition.specFields) checkSpecField(check, definition, field, specMap);
  if (definition.kind === 'Template') checkTemplateSpec(check, specMap);
  checkReferences(check, definition, specMap);
  return check.issues;
}

/** metadata: EntityMeta.schema.json and FieldFormatEntityPolicy. */
function checkMetadata(check: Checker, metadata: Record<string, unknown>): void {
  const name = metadata.name;
  if (name === undefined) {
    check.error(['metadata', 'name'], 'invalid-name', 'metadata.name is missing');
  } else if (check.nonEmptyString(name, ['metadata', 'name'], 'metadata.name', 'invalid-name', false)) {
    if (!isValidEntityName(name)) {
      const text = name as string;
      check.error(
        ['metadata', 'name'],
        'invalid-name',
        `metadata.name ${quote(text)} is not valid: ${nameReason(text)}; ${NAME_RULE}`,
      );
    }
  }

  const ns = metadata.namespace;
  if (
    ns !== undefined &&
    check.nonEmptyString(ns, ['metadata', 'namespace'], 'metadata.namespace', 'invalid-namespace', false)
  ) {
    const text = ns as string;
    if (!isValidDnsLabel(text)) {
      check.error(
        ['metadata', 'namespace'],
        'invalid-namespace',
        `metadata.namespace ${quote(text)} is not valid: ${dnsLabelReason(text)}; ${NAMESPACE_RULE}`,
      );
    }
  }

  for (const field of ['title', 'uid', 'etag'] as const) {
    const value = metadata[field];
    if (value !== undefined)
      check.nonEmptyString(value, ['metadata', field], `metadata.${field}`, 'invalid-metadata');
  }
  if (metadata.description !== undefined) {
    check.string(
      metadata.description,
      ['metadata', 'description'],
      'metadata.description',
      'invalid-metadata',
    );
  }

  const labels = metadata.labels;
  if (
    labels !== undefined &&
    check.mapping(labels, ['metadata', 'labels'], 'metadata.labels', 'invalid-label')
  ) {
    for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
      const path = ['metadata', 'labels', key];
      if (!isValidLabelKey(key)) {
        check.error(
          path,
          'invalid-label',
          `label key ${quote(key)} is not valid: ${keyReason(key)}; ${KEY_RULE}`,
        );
      }
      if (typeof value !== 'string') {
        if (!check.isPlaceholder(value)) {
          check.error(
            path,
            'invalid-label',
            `label ${quote(key)} must have a string value, found ${describe(value)}`,
          );
        }
      } else if (!isValidLabelValue(value)) {
        check.error(
          path,
          'invalid-label',
          `label ${quote(key)} has an invalid value ${quote(value)}: ${nameReason(value)}; a label value is empty or follows the name rule (${NAME_RULE})`,
        );
      }
    }
  }

  const annotations = metadata.annotations;
  if (
    annotations !== undefined &&
    check.mapping(annotations, ['metadata', 'annotations'], 'metadata.annotations', 'invalid-annotation')
  ) {
    for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
      const path = ['metadata', 'annotations', key];
      if (!isValidLabelKey(key)) {
        check.error(
          path,
          'invalid-annotation',
          `annotation key ${quote(key)} is not valid: ${keyReason(key)}; ${KEY_RULE}`,
        );
      }
      check.string(value, path, `annotation ${quote(key)}`, 'invalid-annotation');
    }
  }

  const tags = metadata.tags;
  if (tags !== undefined && check.list(tags, ['metadata', 'tags'], 'metadata.tags', 'invalid-tag')) {
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i];
      const path = ['metadata', 'tags', i];
      if (check.nonEmptyString(tag, path, `metadata.tags[${i}]`, 'invalid-tag') && !isValidTag(tag)) {
        const text = tag as string;
        check.error(path, 'invalid-tag', `tag ${quote(text)} is not valid: ${tagReason(text)}; ${TAG_RULE}`);
      }
    }
  }

  const links = metadata.links;
  if (links !== undefined && check.list(links, ['metadata', 'links'], 'metadata.links', 'invalid-link')) {
    for (let i = 0; i < links.length; i++) checkLink(check, links[i], i);
  }
}

/** One of metadata.links: url required and parseable; title and icon non-blank; type non-empty. */
function checkLink(check: Checker, link: unknown, i: number): void {
  const at = `metadata.links[${i}]`;
  if (!check.mapping(link, ['metadata', 'links', i], at, 'invalid-link')) return;
  const { url, title, icon, type } = link as Record<string, unknown>;
  if (url === undefined) {
    check.error(['metadata', 'links', i, 'url'], 'invalid-link', `${at}.url is missing`);
  } else if (
    check.nonEmptyString(url, ['metadata', 'links', i, 'url'], `${at}.url`, 'invalid-link') &&
    !isValidUrl(url)
  ) {
    check.error(
      ['metadata', 'links', i, 'url'],
      'invalid-link',
      `${at}.url ${quote(url as string)} is not a valid URL; write an absolute URL with its scheme, e.g. https://example.com/runbook`,
    );
  }
  for (const [field, value] of [
    ['title', title],
    ['icon', icon],
  ] as const) {
    // Backstage: non-empty in the schema, and non-blank after trimming in FieldFormatEntityPolicy.
    if (value === undefined) continue;
    const path = ['metadata', 'links', i, field];
    if (
      check.string(value, path, `${at}.${field}`, 'invalid-link') &&
      (value as string).trim().length === 0
    ) {
      check.error(path, 'invalid-link', `${at}.${field} must not be empty or blank`);
    }
  }
  if (type !== undefined)
    check.nonEmptyString(type, ['metadata', 'links', i, 'type'], `${at}.type`, 'invalid-link');
}

/** One spec field of a built-in kind, as its JSON schema types it. */
function checkSpecField(
  check: Checker,
  definition: KindDefinition,
  field: SpecField,
  spec: Record<string, unknown>,
): void {
  const value = spec[field.name];
  const path = ['spec', field.name];
  const label = `spec.${field.name}`;
  if (value === undefined) {
    if (field.required) {
      check.error(
        path,
        'missing-field',
        `${label} is missing; kind ${definition.kind} requires it${requiredHint(field, spec)}`,
      );
    }
    return;
  }
  switch (field.type) {
    case 'string':
      check.nonEmptyString(value, path, label, 'invalid-field');
      return;
    case 'strings':
      if (check.list(value, path, label, 'invalid-field')) {
        for (let i = 0; i < value.length; i++) {
          check.nonEmptyString(value[i], ['spec', field.name, i], `${label}[${i}]`, 'invalid-field');
        }
      }
      return;
    case 'profile':
      if (check.mapping(value, path, label, 'invalid-field')) {
        const profile = value as Record<string, unknown>;
        for (const key of ['displayName', 'email', 'picture'] as const) {
          if (profile[key] !== undefined) {
            check.nonEmptyString(profile[key], ['spec', field.name, key], `${label}.${key}`, 'invalid-field');
          }
        }
      }
      return;
    case 'presence':
      if (value !== 'required' && value !== 'optional' && !check.isPlaceholder(value)) {
        check.error(
          path,
          'invalid-field',
          `${label} must be "required" or "optional", found ${describe(value)}`,
        );
      }
      return;
    case 'refs':
      // Not in the kind's schema; the processor reads it with `[targets].flat()`, skipping empty values.
      if (value === null || value === '') {
        check.warning(path, 'invalid-field', `${label} is empty and is ignored`);
      } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          check.nonEmptyString(value[i], ['spec', field.name, i], `${label}[${i}]`, 'invalid-field');
        }
      } else if (typeof value !== 'string' && !check.isPlaceholder(value)) {
        check.error(
          path,
          'invalid-field',
          `${label} must be an entity reference or a list of them, found ${describe(value)}`,
        );
      }
      return;
  }
}

function requiredHint(field: SpecField, spec: Record<string, unknown>): string {
  switch (field.name) {
    case 'owner':
      return ' (an entity reference to a Group or User, e.g. team-a or user:jdoe)';
    case 'children':
    case 'memberOf':
      return ' (a list of group references; it may be empty: [])';
    case 'definition':
      // catalog-model's alpha `mcp-server` API shape (spec.remotes, no definition) is not among
      // the validators BuiltinKindsEntityProcessor runs, so Backstage rejects it too.
      return spec.remotes !== undefined || spec.type === 'mcp-server'
        ? " (the API definition text); the newer shape with spec.remotes and no definition is not accepted by Backstage's built-in API validator"
        : ' (the API definition text, or a placeholder such as $text: ./openapi.yaml)';
    default:
      return '';
  }
}

/** Every reference in the kind's relation fields must parse (BuiltinKindsEntityProcessor `doEmit`). */
function checkReferences(check: Checker, definition: KindDefinition, spec: Record<string, unknown>): void {
  for (const relation of definition.relationFields) {
    const value = spec[relation.field];
    if (typeof value === 'string') {
      if (value !== '')
        checkReference(check, value, ['spec', relation.field], relation.field, relation.defaultKind);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'string' && item !== '') {
          checkReference(
            check,
            item,
            ['spec', relation.field, i],
            `${relation.field}[${i}]`,
            relation.defaultKind,
          );
        }
      }
    }
  }
}

function checkReference(
  check: Checker,
  ref: string,
  path: (string | number)[],
  label: string,
  defaultKind: string | undefined,
): void {
  const reason = refReason(ref, defaultKind !== undefined);
  if (reason === undefined) return;
  const field = path[1] as string;
  if (reason === 'it does not name a kind') {
    check.error(
      path,
      'invalid-entity-ref',
      `spec.${label} ${quote(ref)} does not name a kind: ${field} has no default kind, so write it as e.g. ${quote(`component:${ref}`)} or ${quote(`resource:${ref}`)}`,
    );
    return;
  }
  check.error(
    path,
    'invalid-entity-ref',
    `spec.${label} ${quote(ref)} is not a valid entity reference: ${reason}; a reference is [kind:][namespace/]name`,
  );
}

/**
 * Template spec, `scaffolder.backstage.io/v1beta3` (plugins/scaffolder-common
 * `src/Template.v1beta3.schema.json`, commit 0b294771): type and steps required, each step an
 * `action`; parameters one mapping or a list of them; output strings besides links and text.
 */
function checkTemplateSpec(check: Checker, spec: Record<string, unknown>): void {
  const optionalString = (value: unknown, path: (string | number)[], label: string, nonEmpty: boolean) => {
    if (value === undefined) return;
    if (nonEmpty) check.nonEmptyString(value, path, label, 'invalid-field');
    else check.string(value, path, label, 'invalid-field');
  };
  const optionalMapping = (value: unknown, path: (string | number)[], label: string): boolean =>
    value !== undefined && check.mapping(value, path, label, 'invalid-field');
  const permissions = (value: unknown, path: (string | number)[], label: string) => {
    if (!optionalMapping(value, path, label)) return;
    const tags = (value as Record<string, unknown>).tags;
    if (tags !== undefined && check.list(tags, [...path, 'tags'], `${label}.tags`, 'invalid-field')) {
      for (let i = 0; i < tags.length; i++)
        check.string(tags[i], [...path, 'tags', i], `${label}.tags[${i}]`, 'invalid-field');
    }
  };

  if (spec.type === undefined) {
    check.error(
      ['spec', 'type'],
      'missing-field',
      'spec.type is missing; kind Template requires it (e.g. service)',
    );
  } else {
    check.nonEmptyString(spec.type, ['spec', 'type'], 'spec.type', 'invalid-field');
  }
  optionalString(spec.owner, ['spec', 'owner'], 'spec.owner', true);
  optionalString(spec.lifecycle, ['spec', 'lifecycle'], 'spec.lifecycle', true);

  const parameters = spec.parameters;
  if (parameters !== undefined && !check.isPlaceholder(parameters)) {
    if (Array.isArray(parameters)) {
      for (let i = 0; i < parameters.length; i++) {
        if (
          check.mapping(parameters[i], ['spec', 'parameters', i], `spec.parameters[${i}]`, 'invalid-field')
        ) {
          const page = parameters[i] as Record<string, unknown>;
          permissions(
            page['backstage:permissions'],
            ['spec', 'parameters', i, 'backstage:permissions'],
            `spec.parameters[${i}].backstage:permissions`,
          );
        }
      }
    } else if (isMapping(parameters)) {
      permissions(
        parameters['backstage:permissions'],
        ['spec', 'parameters', 'backstage:permissions'],
        'spec.parameters.backstage:permissions',
      );
    } else {
      check.error(
        ['spec', 'parameters'],
        'invalid-field',
        `spec.parameters must be a mapping or a list of mappings, found ${describe(parameters)}`,
      );
    }
  }

  if (optionalMapping(spec.secrets, ['spec', 'secrets'], 'spec.secrets')) {
    const schema = (spec.secrets as Record<string, unknown>).schema;
    optionalMapping(schema, ['spec', 'secrets', 'schema'], 'spec.secrets.schema');
  }
  if (optionalMapping(spec.presentation, ['spec', 'presentation'], 'spec.presentation')) {
    const labels = (spec.presentation as Record<string, unknown>).buttonLabels;
    if (optionalMapping(labels, ['spec', 'presentation', 'buttonLabels'], 'spec.presentation.buttonLabels')) {
      for (const key of ['backButtonText', 'createButtonText', 'reviewButtonText']) {
        const path = ['spec', 'presentation', 'buttonLabels', key];
        optionalString(
          (labels as Record<string, unknown>)[key],
          path,
          `spec.presentation.buttonLabels.${key}`,
          false,
        );
      }
    }
  }
  if (
    optionalMapping(
      spec.EXPERIMENTAL_recovery,
      ['spec', 'EXPERIMENTAL_recovery'],
      'spec.EXPERIMENTAL_recovery',
    )
  ) {
    const strategy = (spec.EXPERIMENTAL_recovery as Record<string, unknown>).EXPERIMENTAL_strategy;
    optionalString(
      strategy,
      ['spec', 'EXPERIMENTAL_recovery', 'EXPERIMENTAL_strategy'],
      'spec.EXPERIMENTAL_recovery.EXPERIMENTAL_strategy',
      false,
    );
  }
  const decorators = spec.EXPERIMENTAL_formDecorators;
  if (
    decorators !== undefined &&
    check.list(
      decorators,
      ['spec', 'EXPERIMENTAL_formDecorators'],
      'spec.EXPERIMENTAL_formDecorators',
      'invalid-field',
    )
  ) {
    for (let i = 0; i < decorators.length; i++) {
      const path = ['spec', 'EXPERIMENTAL_formDecorators', i];
      const label = `spec.EXPERIMENTAL_formDecorators[${i}]`;
      if (!check.mapping(decorators[i], path, label, 'invalid-field')) continue;
      const decorator = decorators[i] as Record<string, unknown>;
      optionalString(decorator.id, [...path, 'id'], `${label}.id`, false);
      optionalMapping(decorator.input, [...path, 'input'], `${label}.input`);
    }
  }

  const steps = spec.steps;
  if (steps === undefined) {
    check.error(
      ['spec', 'steps'],
      'missing-field',
      'spec.steps is missing; kind Template requires it (a list of steps, each with an action)',
    );
  } else if (check.list(steps, ['spec', 'steps'], 'spec.steps', 'invalid-field')) {
    for (let i = 0; i < steps.length; i++) {
      const path = ['spec', 'steps', i];
      const label = `spec.steps[${i}]`;
      if (!check.mapping(steps[i], path, label, 'invalid-field')) continue;
      const step = steps[i] as Record<string, unknown>;
      if (step.action === undefined)
        check.error(
          [...path, 'action'],
          'missing-field',
          `${label}.action is missing; every step names its action, e.g. fetch:template`,
        );
      else check.string(step.action, [...path, 'action'], `${label}.action`, 'invalid-field');
      optionalString(step.id, [...path, 'id'], `${label}.id`, false);
      optionalString(step.name, [...path, 'name'], `${label}.name`, false);
      optionalMapping(step.input, [...path, 'input'], `${label}.input`);
      if (step.if !== undefined) check.stringOrBoolean(step.if, [...path, 'if'], `${label}.if`);
      permissions(
        step['backstage:permissions'],
        [...path, 'backstage:permissions'],
        `${label}.backstage:permissions`,
      );
    }
  }

  if (optionalMapping(spec.output, ['spec', 'output'], 'spec.output')) {
    for (const [key, value] of Object.entries(spec.output as Record<string, unknown>)) {
      const path = ['spec', 'output', key];
      const label = `spec.output.${key}`;
      if (key !== 'links' && key !== 'text') {
        check.string(value, path, label, 'invalid-field');
        continue;
      }
      if (!check.list(value, path, label, 'invalid-field')) continue;
      const fields =
        key === 'links' ? (['url', 'entityRef', 'title', 'icon'] as const) : (['title', 'icon'] as const);
      for (let i = 0; i < value.length; i++) {
        if (!check.mapping(value[i], [...path, i], `${label}[${i}]`, 'invalid-field')) continue;
        const item = value[i] as Record<string, unknown>;
        if (item.if !== undefined) check.stringOrBoolean(item.if, [...path, i, 'if'], `${label}[${i}].if`);
        for (const field of fields)
          optionalString(item[field], [...path, i, field], `${label}[${i}].${field}`, true);
        if (key === 'text')
          optionalString(item.content, [...path, i, 'content'], `${label}[${i}].content`, false);
      }
    }
  }
}

/** Re-exported so callers validating a batch find the duplicate-detection key beside the validator. */
export { entityKey } from './entityKey.js';
