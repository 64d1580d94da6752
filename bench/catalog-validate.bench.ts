/**
 * Validate 10,000 catalog entities read from files: Pave's `validateEntity` against
 * `@backstage/catalog-model`'s own validators (the catalog's entity policies, then the built-in
 * kind validators, as `CatalogBuilder` and `BuiltinKindsEntityProcessor` run them) on the same
 * parsed entities in the same run. Anchor: catalog-model; ratio = Pave time / catalog-model time
 * (below 1 means Pave is faster).
 *
 * Run alone: `npx tsx bench/catalog-validate.bench.ts`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments, stringify } from 'yaml';
import {
  backstageKindValidators,
  backstagePolicy,
  backstageVerdict,
} from '../src/catalog/testing/backstageVerdict.js';
import { validateEntity } from '../src/catalog/validateEntity.js';

/** One measured figure. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const ENTITIES = 10_000;
const ROUNDS = 7;

/** A deterministic generator, so every run validates the same catalog. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A realistic catalog as files: an org file per department (Groups and Users), a file per domain
 * and system, and a catalog-info.yaml per service holding its Component, APIs and Resources.
 * About 1% of the entities carry a mistake (a bad tag, a reference without a kind, a missing owner).
 */
function writeCatalog(dir: string): number {
  const rand = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const languages = ['java', 'go', 'python', 'typescript', 'kotlin', 'rust', 'c++', 'c#'];
  const lifecycles = ['production', 'experimental', 'deprecated'];
  const teams: string[] = [];
  const systems: string[] = [];
  let count = 0;
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    title: name.replaceAll('-', ' '),
    description: `The ${name.replaceAll('-', ' ')}`,
    ...extra,
  });

  for (let d = 0; d < 10; d++) {
    const docs: unknown[] = [];
    const department = `dept-${d}`;
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: meta(department),
      spec: { type: 'department', children: [] as string[] },
    });
    for (let t = 0; t < 20; t++) {
      const team = `${department}-team-${t}`;
      teams.push(team);
      (docs[0] as { spec: { children: string[] } }).spec.children.push(team);
      const members: string[] = [];
      for (let u = 0; u < 7; u++) members.push(`user-${d}-${t}-${u}`);
      docs.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: meta(team, {
          links: [{ url: `https://chat.example.com/${team}`, title: 'Chat', icon: 'chat' }],
        }),
        spec: {
          type: 'team',
          profile: { displayName: team, email: `${team}@example.com` },
          parent: department,
          children: [],
          members,
        },
      });
      for (const user of members) {
        docs.push({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: user },
          spec: { profile: { displayName: user, email: `${user}@example.com` }, memberOf: [team] },
        });
      }
    }
    count += docs.length;
    writeFileSync(path.join(dir, `org-${department}.yaml`), docs.map((doc) => stringify(doc)).join('---\n'));
  }

  for (let d = 0; d < 30; d++) {
    const domain = `domain-${d}`;
    const docs: unknown[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: meta(domain),
        spec: { owner: pick(teams) },
      },
    ];
    for (let s = 0; s < 8; s++) {
      const system = `${domain}-system-${s}`;
      systems.push(system);
      docs.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: meta(system, { tags: [pick(languages).replace(/[^a-z]/g, '') || 'misc'] }),
        spec: { owner: `group:${pick(teams)}`, domain },
      });
    }
    count += docs.length;
    writeFileSync(path.join(dir, `${domain}.yaml`), docs.map((doc) => stringify(doc)).join('---\n'));
  }

  for (let c = 0; count < ENTITIES; c++) {
    const name = `service-${c}`;
    const owner = pick(teams);
    const system = pick(systems);
    const mistake = rand() < 0.01 ? Math.floor(rand() * 3) : -1;
    const api = `${name}-api`;
    const db = `${name}-db`;
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: meta(name, {
        annotations: {
          'github.com/project-slug': `acme/${name}`,
          'backstage.io/techdocs-ref': 'dir:.',
          'pagerduty.com/service-id': `P${c}`,
        },
        labels: { 'pave.dev/tier': `tier-${1 + (c % 3)}` },
        tags: mistake === 0 ? ['Go 1.22'] : [pick(languages), 'backend'],
        links: [
          { url: `https://runbooks.example.com/${name}`, title: 'Runbook', icon: 'book', type: 'runbook' },
          { url: `https://grafana.example.com/d/${name}`, title: 'Dashboard', icon: 'dashboard' },
        ],
      }),
      spec: {
        type: 'service',
        lifecycle: pick(lifecycles),
        ...(mistake === 2 ? {} : { owner }),
        system,
        providesApis: [api],
        consumesApis: [`service-${Math.floor(rand() * (c + 1))}-api`],
        dependsOn: [
          mistake === 1 ? db : `resource:${db}`,
          `component:service-${Math.floor(rand() * (c + 1))}`,
        ],
      },
    };
    const docs: unknown[] = [
      component,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: meta(api, { tags: ['rest'] }),
        spec: {
          type: 'openapi',
          lifecycle: 'production',
          owner,
          system,
          definition: `openapi: 3.0.0\ninfo:\n  title: ${api}\n`,
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: meta(db),
        spec: { type: 'database', owner, system, dependencyOf: [`component:${name}`] },
      },
    ];
    docs.length = Math.min(docs.length, ENTITIES - count); // stop at exactly ENTITIES
    count += docs.length;
    writeFileSync(
      path.join(dir, `${name}.catalog-info.yaml`),
      docs.map((doc) => stringify(doc)).join('---\n'),
    );
  }
  return count;
}

function readCatalog(dir: string): unknown[] {
  const entities: unknown[] = [];
  for (const file of readdirSync(dir).sort()) {
    const docs = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'));
    if (!Array.isArray(docs)) continue;
    for (const doc of docs) entities.push(doc.toJSON());
  }
  return entities;
}

function validateWithPave(entities: readonly unknown[]): number {
  let invalid = 0;
  for (const entity of entities) {
    for (const issue of validateEntity(entity)) {
      if (issue.severity === 'error') {
        invalid++;
        break;
      }
    }
  }
  return invalid;
}

async function validateWithCatalogModel(entities: readonly unknown[]): Promise<number> {
  let invalid = 0;
  for (const entity of entities) {
    try {
      const enforced = await backstagePolicy.enforce(entity as Entity);
      if (!enforced) throw new Error('no entity from the policies');
      let recognized = false;
      for (const validator of backstageKindValidators) {
        if (await validator.check(enforced)) {
          recognized = true;
          break;
        }
      }
      if (!recognized) invalid++;
    } catch {
      invalid++;
    }
  }
  return invalid;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs the benchmark and reports its figures. */
export async function bench(report: (figure: Figure) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pave-bench-catalog-'));
  try {
    const written = writeCatalog(dir);
    let start = performance.now();
    const entities = readCatalog(dir);
    const readMs = performance.now() - start;
    if (entities.length !== written) throw new Error(`read ${entities.length} entities, wrote ${written}`);

    // Warm up both (JIT, ajv's schema compilation).
    const paveInvalid = validateWithPave(entities);
    const backstageInvalid = await validateWithCatalogModel(entities);
    // Not timed: the full Backstage verdict (with its processor's reference parsing) must match Pave's.
    let disagreements = 0;
    for (const entity of entities) {
      const pave = validateEntity(entity).some((issue) => issue.severity === 'error') ? 'invalid' : 'valid';
      const { verdict } = await backstageVerdict(entity);
      if (pave !== verdict) disagreements++;
    }

    const paveMs: number[] = [];
    const backstageMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      (globalThis as { gc?: () => void }).gc?.();
      start = performance.now();
      validateWithPave(entities);
      paveMs.push(performance.now() - start);
      (globalThis as { gc?: () => void }).gc?.();
      start = performance.now();
      await validateWithCatalogModel(entities);
      backstageMs.push(performance.now() - start);
    }
    const pave = median(paveMs);
    const backstage = median(backstageMs);
    const note = `${entities.length} entities from ${readdirSync(dir).length} YAML files, median of ${ROUNDS} rounds`;
    report({
      name: 'catalog.validate.read_yaml',
      value: readMs,
      unit: 'ms',
      note: 'parse the files once (not part of the ratio)',
    });
    report({ name: 'catalog.validate.pave', value: pave, unit: 'ms', note });
    report({
      name: 'catalog.validate.catalog_model',
      value: backstage,
      unit: 'ms',
      note: 'EntityPolicies + kind validators',
    });
    report({
      name: 'catalog.validate.pave_rate',
      value: entities.length / (pave / 1000),
      unit: 'entities/s',
    });
    report({
      name: 'catalog.validate.catalog_model_rate',
      value: entities.length / (backstage / 1000),
      unit: 'entities/s',
    });
    report({
      name: 'catalog.validate.ratio',
      value: pave / backstage,
      unit: 'x',
      note: 'Pave / catalog-model; below 1 is faster',
    });
    report({
      name: 'catalog.validate.invalid_entities',
      value: paveInvalid,
      unit: 'entities',
      note: `catalog-model's policies and kind validators reject ${backstageInvalid}; Pave also rejects references without a kind, which Backstage rejects later, when its processor parses them`,
    });
    report({
      name: 'catalog.validate.disagreements',
      value: disagreements,
      unit: 'entities',
      note: "Pave's verdict differs from the Backstage catalog's (policies, kind validators, reference parsing); must be 0",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await bench((figure) => {
    const value = figure.value >= 100 ? figure.value.toFixed(0) : figure.value.toFixed(3);
    console.log(
      `${figure.name.padEnd(40)} ${value.padStart(12)} ${figure.unit}${figure.note ? `  (${figure.note})` : ''}`,
    );
  });
}
