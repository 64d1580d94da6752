/**
 * The reference Pave's catalog validation is checked against: `@backstage/catalog-model` itself
 * (a dev dependency), run the way the Backstage catalog runs it. Used by the differential tests
 * and by bench/catalog-validate.bench.ts; never by the product.
 *
 * Steps, as in plugins/catalog-backend:
 * 1. `CatalogBuilder.buildEntityPolicy`: SchemaValid, DefaultNamespace, NoForeignRootFields,
 *    FieldFormat(makeValidator()), all of them, in that order;
 * 2. `BuiltinKindsEntityProcessor.validateEntityKind`: its kind validators in its order; none
 *    recognising the entity makes the orchestrator reject it ("No processor recognized the entity");
 * 3. `BuiltinKindsEntityProcessor.postProcessEntity`: `parseEntityRef` on every reference of every
 *    relation field. The fields come from catalog-model's own model (`compileCatalogModel`
 *    `relationFields`), not from Pave's table, so the two are independent.
 * Templates are not covered: their validator lives in @backstage/plugin-scaffolder-common,
 * which Pave does not install.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  makeValidator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { compileCatalogModel, defaultCatalogEntityModel } from '@backstage/catalog-model/alpha';
import { parseAllDocuments } from 'yaml';

/** Backstage's verdict on one entity: accepted, rejected, or of a kind no validator knows. */
export type Verdict = 'valid' | 'invalid' | 'unrecognized';

/** The entity policies the catalog applies, in CatalogBuilder's order. */
export const backstagePolicy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(makeValidator()),
]);

/** BuiltinKindsEntityProcessor's validators, in its order (Template's v1beta2 one is gone upstream). */
export const backstageKindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
];

const model = compileCatalogModel([defaultCatalogEntityModel]);
const inverse = new Map<string, string>();
for (const relation of model.listRelations()) {
  inverse.set(relation.forward.type, relation.reverse.type);
  inverse.set(relation.reverse.type, relation.forward.type);
}

interface ModelRelationField {
  field: string;
  relation: string;
  defaultKind: string | undefined;
}

/** catalog-model's relation fields for a built-in kind (`undefined` for other kinds). */
export function backstageRelationFields(entity: Entity): ModelRelationField[] | undefined {
  let kind: ReturnType<typeof model.getKind>;
  try {
    kind = model.getKind({ kind: entity.kind, apiVersion: entity.apiVersion });
  } catch {
    return undefined;
  }
  return kind?.relationFields.map((f) => ({
    field: f.path.replace(/^spec\./, ''),
    relation: f.relation,
    defaultKind: f.defaultKind,
  }));
}

/** Runs `visit` on every reference the processor would parse; throws where parseEntityRef throws. */
function forEachReference(
  entity: Entity,
  visit: (target: { kind: string; namespace: string; name: string }, field: ModelRelationField) => void,
): void {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  for (const field of backstageRelationFields(entity) ?? []) {
    const targets = spec[field.field];
    if (!targets) continue; // doEmit: `if (!targets) return;`
    for (const target of [targets].flat()) {
      const parsed = parseEntityRef(target as string, {
        defaultKind: field.defaultKind,
        defaultNamespace: namespace,
      });
      visit(parsed, field);
    }
  }
}

/** What the Backstage catalog would make of `entity`. */
export async function backstageVerdict(entity: unknown): Promise<{ verdict: Verdict; reason?: string }> {
  let enforced: Entity | undefined;
  try {
    enforced = await backstagePolicy.enforce(entity as Entity);
  } catch (error) {
    return { verdict: 'invalid', reason: String(error) };
  }
  // AllEntityPolicies throws when a policy returns nothing, so this is only for the type.
  if (!enforced) return { verdict: 'invalid', reason: 'no entity from the policies' };
  let recognized = false;
  for (const validator of backstageKindValidators) {
    try {
      if (await validator.check(enforced)) {
        recognized = true;
        break;
      }
    } catch (error) {
      return { verdict: 'invalid', reason: String(error) };
    }
  }
  if (!recognized) return { verdict: 'unrecognized' };
  try {
    forEachReference(enforced, () => {});
  } catch (error) {
    return { verdict: 'invalid', reason: String(error) };
  }
  return { verdict: 'valid' };
}

/** The relations Backstage would store for a valid entity, as sorted `source type target` lines. */
export function backstageRelations(entity: Entity): string[] {
  const self = stringifyEntityRef(entity);
  const lines = new Set<string>();
  forEachReference(entity, (target, field) => {
    const ref = stringifyEntityRef(target);
    lines.add(`${self} ${field.relation} ${ref}`);
    lines.add(`${ref} ${inverse.get(field.relation)} ${self}`);
  });
  return [...lines].sort();
}

/** One YAML document of the Backstage fixtures. */
export interface FixtureDocument {
  /** Path relative to the fixtures' backstage folder, e.g. `examples/components/x.yaml`. */
  file: string;
  index: number;
  entity: unknown;
}

/** `shared/fixtures/backstage`, found from this file (repo at /work/main, shared beside it). */
export const BACKSTAGE_FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/backstage');

function yamlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...yamlFiles(full));
    else if (name.endsWith('.yaml') && !name.endsWith('.oas.yaml')) files.push(full);
  }
  return files;
}

/**
 * Every entity document of the fixtures, with `$text` placeholders resolved the way Backstage's
 * PlaceholderProcessor would before validation: a relative file is read; a remote URL (not
 * fetched here) becomes a stand-in string.
 */
export function fixtureDocuments(): FixtureDocument[] {
  const documents: FixtureDocument[] = [];
  for (const file of [
    ...yamlFiles(path.join(BACKSTAGE_FIXTURES, 'examples')),
    ...yamlFiles(path.join(BACKSTAGE_FIXTURES, 'sample-templates')),
  ]) {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    if (!Array.isArray(docs)) continue;
    docs.forEach((doc, index) => {
      const entity = resolvePlaceholders(doc.toJSON(), path.dirname(file));
      documents.push({ file: path.relative(BACKSTAGE_FIXTURES, file), index, entity });
    });
  }
  return documents;
}

function resolvePlaceholders(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, dir));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === '$text' && typeof entries[0]![1] === 'string') {
    const target = entries[0]![1];
    return /^[a-z]+:/i.test(target) ? `(remote ${target})` : readFileSync(path.resolve(dir, target), 'utf8');
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolvePlaceholders(v, dir)]));
}
